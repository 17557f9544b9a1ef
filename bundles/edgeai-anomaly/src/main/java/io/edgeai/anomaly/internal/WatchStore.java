package io.edgeai.anomaly.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calibrations of watched streams (data/edgeai/anomaly/streams.json), so that a restart goes on scoring with the
 * promoted versions instead of learning every stream again.
 */
final class WatchStore {

    /** One stream's calibration. */
    record Saved(List<String> features, String model, int version, double[] scale, double[] errorScale,
            long trainedMillis, int window) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(WatchStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    WatchStore(Path folder) {
        this.file = folder.resolve("streams.json");
    }

    synchronized Map<String, Saved> load() {
        if (!Files.isRegularFile(file)) {
            return new TreeMap<>();
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, Saved>>() { });
        } catch (IOException e) {
            LOG.warn("Anomaly watch: {} cannot be read ({}); every stream learns again", file, e.getMessage());
            return new TreeMap<>();
        }
    }

    synchronized void save(Map<String, Saved> streams) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "streams-", ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), new TreeMap<>(streams));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Anomaly watch: cannot write {}: {}", file, e.getMessage());
        }
    }
}
