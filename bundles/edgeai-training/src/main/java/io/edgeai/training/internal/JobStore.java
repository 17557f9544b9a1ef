package io.edgeai.training.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.training.TrainingJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job records on disk, one JSON file per job ({@code data/edgeai/training/jobs/<id>.json}), written atomically at every
 * change of state and after epochs; so that a restart finds what ran, and marks what was running as interrupted.
 */
final class JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;

    JobStore(Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
    }

    /** One writer at a time: the submitting thread and the job's worker may both save a job. */
    synchronized void save(TrainingJob job) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", job.id());
        json.put("model", job.model());
        json.put("state", job.state().name());
        json.put("submitted", text(job.submitted()));
        json.put("started", text(job.started()));
        json.put("finished", text(job.finished()));
        json.put("epoch", job.epoch());
        json.put("epochs", job.epochs());
        json.put("trainLoss", job.trainLoss());
        json.put("validationLoss", job.validationLoss());
        json.put("metrics", job.metrics());
        json.put("message", job.message());
        json.put("version", job.version());
        json.put("promoted", job.promoted());
        json.put("spec", job.spec());
        Path file = folder.resolve(job.id() + ".json");
        try {
            // a name of its own: a component being replaced may save the same job while its successor does
            Path temporary = Files.createTempFile(folder, job.id() + "-", ".tmp");
            JSON.writeValue(temporary.toFile(), json);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Could not keep the record of training job {}: {}", job.id(), e.getMessage());
        }
    }

    synchronized void delete(String id) {
        try {
            Files.deleteIfExists(folder.resolve(id + ".json"));
        } catch (IOException e) {
            LOG.warn("Could not delete the record of training job {}: {}", id, e.getMessage());
        }
    }

    /** Every readable record; unreadable ones are reported and skipped. */
    List<TrainingJob> load() {
        List<TrainingJob> jobs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(folder)) {
            list.filter(p -> p.getFileName().toString().endsWith(".json")).forEach(files::add);
        } catch (IOException e) {
            LOG.warn("Cannot list training job records in {}: {}", folder, e.getMessage());
            return jobs;
        }
        for (Path file : files) {
            try {
                Map<String, Object> json = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
                jobs.add(new TrainingJob((String) json.get("id"), (String) json.get("model"),
                        TrainingJob.State.valueOf((String) json.get("state")), instant(json.get("submitted")),
                        instant(json.get("started")), instant(json.get("finished")), number(json.get("epoch")),
                        number(json.get("epochs")), doubles(json.get("trainLoss")),
                        doubles(json.get("validationLoss")), metrics(json.get("metrics")),
                        (String) json.get("message"), number(json.get("version")),
                        Boolean.TRUE.equals(json.get("promoted")), map(json.get("spec"))));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Skipping unreadable training job record {}: {}", file.getFileName(), e.getMessage());
            }
        }
        return jobs;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse(value.toString());
    }

    private static int number(Object value) {
        return value == null ? 0 : ((Number) value).intValue();
    }

    private static List<Double> doubles(Object value) {
        List<Double> list = new ArrayList<>();
        if (value instanceof List<?> items) {
            items.forEach(i -> list.add(((Number) i).doubleValue()));
        }
        return list;
    }

    private static Map<String, Double> metrics(Object value) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> metrics.put(k.toString(), ((Number) v).doubleValue()));
        }
        return metrics;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
