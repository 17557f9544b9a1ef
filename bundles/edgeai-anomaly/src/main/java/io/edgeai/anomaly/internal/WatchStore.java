package io.edgeai.anomaly.internal;

import io.edgeai.anomaly.internal.detect.SeasonState;
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
 * The calibrations of watched streams' forecasters (data/edgeai/anomaly/streams.json), so that a restart goes on
 * scoring with the promoted versions instead of learning every stream again; and, written when the watch stops, each
 * stream's newest readings and episodes (recent.json), so that after an update or a change of configuration the
 * statistical detectors take up where they were instead of learning again.
 */
final class WatchStore {

    /** One stream's calibration. */
    record Saved(List<String> features, String model, int version, double[] scale, double[] errorScale,
            long trainedMillis, int window) {
    }

    /**
     * One stream's newest readings, oldest first, and its episodes.
     *
     * @param features the values, in the order of each reading's {@code values}
     * @param millis each reading's time
     * @param values each reading's values
     * @param episodes episodes opened so far
     * @param open whether the newest one is open
     * @param calm readings in a row under the bound that closes it
     * @param seasons each value's daily and weekly cycles (absent in files of earlier versions)
     */
    record Recent(List<String> features, long[] millis, double[][] values, long episodes, boolean open, int calm,
            Map<String, Map<String, SeasonState>> seasons) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(WatchStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Path recent;

    WatchStore(Path folder) {
        this.file = folder.resolve("streams.json");
        this.recent = folder.resolve("recent.json");
    }

    /** The streams' recent readings written when the watch last stopped (read once: the file is removed). */
    synchronized Map<String, Recent> takeRecent() {
        if (!Files.isRegularFile(recent)) {
            return new TreeMap<>();
        }
        try {
            return JSON.readValue(recent.toFile(), new TypeReference<TreeMap<String, Recent>>() { });
        } catch (IOException | RuntimeException e) {
            LOG.warn("Anomaly watch: {} cannot be read ({}); streams learn their statistics again", recent,
                    e.getMessage());
            return new TreeMap<>();
        } finally {
            try {
                Files.deleteIfExists(recent);
            } catch (IOException e) {
                LOG.debug("Anomaly watch: {} not removed: {}", recent, e.getMessage());
            }
        }
    }

    synchronized void saveRecent(Map<String, Recent> streams) {
        write(recent, "recent-", new TreeMap<>(streams), false);
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
        write(file, "streams-", new TreeMap<>(streams), true);
    }

    private static void write(Path target, String prefix, Object content, boolean pretty) {
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), prefix, ".tmp");
            (pretty ? JSON.writerWithDefaultPrettyPrinter() : JSON.writer()).writeValue(temp.toFile(), content);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Anomaly watch: cannot write {}: {}", target, e.getMessage());
        }
    }
}
