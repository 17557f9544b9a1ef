package io.edgeai.djl.blocks;

import java.util.List;
import java.util.Map;

/** Every architecture the gateway knows: the built-in ones and those registered as {@link Architecture} services. */
public interface ArchitectureCatalog {

    /** Names, built-in first. */
    List<String> names();

    /**
     * Builds the architecture {@code settings.get("name")}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or a wrong setting
     */
    BuiltBlocks build(Map<String, Object> settings, int inputs, int outputs);

    /** The refusal of an architecture name no catalog knows, listing the known ones. */
    static IllegalArgumentException unknown(Object name, List<String> known) {
        return new IllegalArgumentException("architecture.name: unknown '" + name + "' (known: "
                + String.join(", ", known) + ")");
    }
}
