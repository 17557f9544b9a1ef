package io.edgeai.djl.blocks;

import java.util.Map;

/**
 * A kind of network: from its settings (the {@code "architecture"} object of a spec or of {@code model.json}, whose
 * {@code "name"} is {@link #id()}), the width of an input row and the number of targets, it builds the blocks to
 * train and to serve. Register one as an OSGi service with {@link #NAME_PROPERTY} to add it to the gateway.
 */
public interface Architecture {

    /** Service property naming the architecture. */
    String NAME_PROPERTY = "architecture.name";

    /** The name specs and model.json use. */
    String id();

    /**
     * Builds fresh, uninitialized blocks.
     *
     * @throws IllegalArgumentException when a setting is wrong; the message names it and what it may be
     */
    BuiltBlocks build(Map<String, Object> settings, int inputs, int outputs);
}
