package io.edgeai.fleet.kafka.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway did with each model the fleet sent (data/edgeai/fleet/models.json): the archive's SHA-256, the
 * version it became and the outcome, so that a message read again is not registered twice and the status says it.
 */
final class AppliedModels {

    private static final Logger LOG = LoggerFactory.getLogger(AppliedModels.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final Map<String, ModelsChannel.Applied> applied = new TreeMap<>();

    AppliedModels(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try {
                applied.putAll(MAPPER.readValue(file.toFile(),
                        new TypeReference<Map<String, ModelsChannel.Applied>>() { }));
            } catch (IOException e) {
                LOG.warn("Fleet models: {} unreadable ({}); models the fleet sent before may be registered again",
                        file, e.getMessage());
            }
        }
    }

    synchronized ModelsChannel.Applied get(String model) {
        return applied.get(model);
    }

    synchronized Map<String, ModelsChannel.Applied> all() {
        return Map.copyOf(applied);
    }

    synchronized void put(String model, ModelsChannel.Applied outcome) {
        applied.put(model, outcome);
        try {
            Federation.write(file, applied);
        } catch (IOException e) {
            LOG.warn("Fleet models: could not write {}: {}", file, e.getMessage());
        }
    }
}
