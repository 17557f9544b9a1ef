package io.edgeai.djl.internal;

import io.edgeai.djl.blocks.Architecture;
import io.edgeai.djl.blocks.ArchitectureCatalog;
import io.edgeai.djl.blocks.BuiltBlocks;
import io.edgeai.djl.blocks.BuiltInArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The built-in architectures plus every {@link Architecture} service (whiteboard); built-in names cannot be taken. */
@Component(service = ArchitectureCatalog.class)
public class ArchitectureCatalogComponent implements ArchitectureCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ArchitectureCatalogComponent.class);

    private final Map<String, Architecture> added = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addArchitecture(Architecture architecture) {
        if (BuiltInArchitecture.named(architecture.id()).isPresent()) {
            LOG.warn("Architecture {} from another bundle ignored: the name is built in", architecture.id());
            return;
        }
        added.put(architecture.id(), architecture);
        LOG.info("Architecture {} available", architecture.id());
    }

    void removeArchitecture(Architecture architecture) {
        added.remove(architecture.id(), architecture);
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>(BuiltInArchitecture.names());
        added.keySet().stream().sorted().forEach(names::add);
        return names;
    }

    @Override
    public BuiltBlocks build(Map<String, Object> settings, int inputs, int outputs) {
        Object name = settings.get("name");
        Architecture architecture = BuiltInArchitecture.named(String.valueOf(name)).map(Architecture.class::cast)
                .orElse(added.get(String.valueOf(name)));
        if (architecture == null) {
            throw ArchitectureCatalog.unknown(name, names());
        }
        return architecture.build(settings, inputs, outputs);
    }
}
