package io.edgeai.training.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.PipelineFit;
import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.Pipelines;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingHistory;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's rows when they have names and times: a CSV file read as timed records, or a device's recent readings from
 * the readings history; through the job's pipeline when it has one (fitted on these records, its features become the
 * model's inputs, each joined with the targets of the newest record at or before its time).
 */
final class JobData {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One timed record: the values fed to the pipeline (or the model) and its targets. */
    private record Timed(Reading reading, float[] targets) {
    }

    private JobData() {
    }

    /**
     * @param history the readings history (null when the telemetry bundle is not running)
     * @param pipelines the pipelines service (null when preprocessing is not running)
     * @param now the job's start, for {@code last}
     */
    static TrainingData load(JobSpec job, int maxRows, ReadingHistory history, Pipelines pipelines, Instant now) {
        if (job.pipeline() == null && !(job.data() instanceof JobSpec.Readings)) {
            return TrainingData.load(job.data(), maxRows);
        }
        List<String> targets;
        List<Timed> records;
        if (job.data() instanceof JobSpec.Csv csv) {
            targets = csv.targets();
            records = csv(csv, maxRows);
        } else {
            JobSpec.Readings source = (JobSpec.Readings) job.data();
            targets = source.targets();
            records = readings(source, maxRows, history, now);
        }
        if (records.isEmpty()) {
            throw new InvalidSpecException("data: no rows to learn from");
        }
        Instant from = records.get(0).reading().timestamp();
        Instant to = records.get(records.size() - 1).reading().timestamp();
        float[][] y = targets.isEmpty() ? null : new float[0][];
        if (job.pipeline() == null) {
            List<String> names = new ArrayList<>(records.get(0).reading().values().keySet());
            float[][] x = new float[records.size()][];
            List<float[]> ys = new ArrayList<>();
            int[] rowOf = new int[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = row(records.get(i).reading(), names);
                ys.add(records.get(i).targets());
                rowOf[i] = i;
            }
            float[][] yy = y == null ? null : ys.toArray(y);
            return new TrainingData(x, yy, names, null, from, to, new TrainingData.Source(records.stream()
                    .map(Timed::reading).toList(), yy, rowOf));
        }
        if (pipelines == null) {
            throw new InvalidSpecException("pipeline: preprocessing is not running (feature edgeai-preprocess)");
        }
        PipelineFit fit;
        try {
            fit = pipelines.fit(definition(job.pipeline(), pipelines), records.stream().map(Timed::reading).toList());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("pipeline: " + e.getMessage());
        }
        if (fit.features().isEmpty()) {
            throw new InvalidSpecException("pipeline: it made no features of the " + records.size() + " rows ("
                    + fit.refused() + " refused; a window larger than the data?)");
        }
        List<String> names = fit.features().get(0).names();
        float[][] x = new float[fit.features().size()][];
        List<float[]> ys = new ArrayList<>();
        int newest = 0;
        int[] rowOf = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            Features vector = fit.features().get(i);
            if (!vector.names().equals(names)) {
                throw new InvalidSpecException("pipeline: its features changed from " + names + " to "
                        + vector.names() + " at " + vector.timestamp() + "; every row must have the same values");
            }
            x[i] = vector.values();
            // the targets of the newest record at or before the vector's time (records are in time order)
            while (newest + 1 < records.size()
                    && !records.get(newest + 1).reading().timestamp().isAfter(vector.timestamp())) {
                newest++;
            }
            ys.add(records.get(newest).targets());
            rowOf[i] = newest;
        }
        float[][] recordTargets = y == null ? null : records.stream().map(Timed::targets).toArray(float[][]::new);
        return new TrainingData(x, y == null ? null : ys.toArray(y), names, fit.serialized(), from, to,
                new TrainingData.Source(records.stream().map(Timed::reading).toList(), recordTargets, rowOf));
    }

    @SuppressWarnings("unchecked")
    private static String definition(Object pipeline, Pipelines pipelines) {
        if (pipeline instanceof String name) {
            PipelineStatus status = pipelines.status(name).orElseThrow(() -> new InvalidSpecException("pipeline: no"
                    + " pipeline '" + name + "' (edgeai:pipeline-list shows them)"));
            if (status.definition() == null) {
                throw new InvalidSpecException("pipeline: '" + name + "' never loaded: " + status.error());
            }
            return status.definition();
        }
        Map<String, Object> definition = new LinkedHashMap<>((Map<String, Object>) pipeline);
        definition.putIfAbsent("name", "model");
        try {
            return JSON.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException("pipeline: " + e.getOriginalMessage());
        }
    }

    private static List<Timed> csv(JobSpec.Csv csv, int maxRows) {
        List<Timed> records = new ArrayList<>();
        TrainingData.readCsv(csv, maxRows, (row, line) -> {
            float[] inputs = TrainingData.values(row, csv.inputs(), line);
            Map<String, Double> values = new LinkedHashMap<>();
            for (int i = 0; i < inputs.length; i++) {
                values.put(csv.inputs().get(i), (double) inputs[i]);
            }
            Instant time = csv.time() == null ? Instant.ofEpochSecond(line - 2) : time(row.get(csv.time()), line,
                    csv.time());
            if (!records.isEmpty() && !time.isAfter(records.get(records.size() - 1).reading().timestamp())) {
                throw new InvalidSpecException("data: line " + line + ", column '" + csv.time() + "': times must"
                        + " increase");
            }
            records.add(new Timed(new Reading("training", time, values), TrainingData.values(row, csv.targets(),
                    line)));
        });
        return records;
    }

    private static Instant time(String text, int line, String column) {
        String value = text == null ? "" : text.trim();
        try {
            return value.matches("\\d+") ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new InvalidSpecException("data: line " + line + ", column '" + column + "': '" + text + "' is not a"
                    + " time (epoch milliseconds or ISO-8601)");
        }
    }

    private static List<Timed> readings(JobSpec.Readings source, int maxRows, ReadingHistory history, Instant now) {
        if (history == null) {
            throw new InvalidSpecException("data.source: the readings history is not running (feature edgeai-core)");
        }
        Instant from = source.last() != null ? now.minus(source.last()) : source.from();
        List<Reading> kept = history.readings(source.device(), from, source.to());
        if (kept.isEmpty()) {
            throw new InvalidSpecException("data: no readings of device '" + source.device() + "'"
                    + (from != null || source.to() != null ? " in [" + from + ", " + source.to() + ")" : "")
                    + "; the gateway keeps the newest historyReadings of each device (etc/io.edgeai.telemetry.cfg)");
        }
        if (kept.size() > maxRows) {
            kept = kept.subList(kept.size() - maxRows, kept.size());
        }
        List<String> inputs = source.inputs();
        if (inputs.isEmpty()) {
            inputs = new ArrayList<>(kept.get(0).values().keySet());
            inputs.removeAll(source.targets());
        }
        List<Timed> records = new ArrayList<>();
        for (Reading reading : kept) {
            if (!reading.values().keySet().containsAll(inputs)
                    || !reading.values().keySet().containsAll(source.targets())) {
                continue; // a reading without a value the job needs is not a row
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (String name : inputs) {
                values.put(name, reading.values().get(name));
            }
            float[] targets = new float[source.targets().size()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = reading.values().get(source.targets().get(i)).floatValue();
            }
            records.add(new Timed(new Reading(reading.deviceId(), reading.timestamp(), values), targets));
        }
        if (records.isEmpty()) {
            throw new InvalidSpecException("data: none of the " + kept.size() + " readings of device '"
                    + source.device() + "' has every value of " + inputs + " and " + source.targets());
        }
        return records;
    }

    private static float[] row(Reading reading, List<String> names) {
        float[] row = new float[names.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = reading.values().get(names.get(i)).floatValue();
        }
        return row;
    }
}
