package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import io.edgeai.api.reading.RejectReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Cleaning steps that remember the device's previous samples. */
final class SequenceSteps {

    private SequenceSteps() {
    }

    /**
     * {@code fill}: each of {@code features} (required) that is absent or NaN is filled by {@code method}: {@code last}
     * (the device's last value of it; a sample with nothing to fill from is refused), {@code linear} (interpolated in
     * time once the next value comes: {@link TimeSteps.LinearFill}), {@code constant} ({@code value}), or the sample
     * is refused ({@code drop}, reason missing_field).
     */
    static Step fill(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("features", "method", "value", "maxHeld"));
        List<String> features = parameters.features();
        if (features.isEmpty()) {
            throw new IllegalArgumentException("'features' is required: the values a sample must have");
        }
        String method = parameters.choice("method", "last", Set.of("last", "linear", "constant", "drop"));
        if ("linear".equals(method)) {
            double maxHeld = parameters.number("maxHeld", 10);
            if (maxHeld < 1 || maxHeld != Math.rint(maxHeld)) {
                throw new IllegalArgumentException("'maxHeld' must be a whole number of samples >= 1");
            }
            return new TimeSteps.LinearFill(features, (int) maxHeld);
        }
        if (parameters.has("maxHeld")) {
            throw new IllegalArgumentException("'maxHeld' applies to method linear only");
        }
        double constant = parameters.number("value", Double.NaN);
        if ("constant".equals(method) && Double.isNaN(constant)) {
            throw new IllegalArgumentException("'value' is required with method constant");
        }
        Map<String, Map<String, Double>> last = new ConcurrentHashMap<>();
        return sample -> {
            Map<String, Double> previous = last.computeIfAbsent(sample.deviceId(), d -> new ConcurrentHashMap<>());
            for (String feature : features) {
                Double x = sample.values().get(feature);
                if (x != null && !x.isNaN()) {
                    previous.put(feature, x);
                    continue;
                }
                Double filled = switch (method) {
                    case "constant" -> constant;
                    case "last" -> previous.get(feature);
                    default -> null;
                };
                if (filled == null) {
                    throw new PreprocessException(RejectReason.MISSING_FIELD, "fill", "'" + feature + "' is missing"
                            + ("last".equals(method) ? " and the device has no earlier value" : ""));
                }
                sample.values().put(feature, filled);
            }
            return List.of(sample);
        };
    }

    /**
     * {@code timestamps}: per device, a sample whose time is not after the last accepted one (a duplicate or one
     * that arrives out of order) is refused ({@code action: reject}, reason out_of_order) or silently left out
     * ({@code drop}, counted by the pipeline as dropped).
     */
    static Step timestamps(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("action"));
        String action = parameters.choice("action", "reject", Set.of("reject", "drop"));
        Map<String, Instant> lastTime = new ConcurrentHashMap<>();
        return sample -> {
            Instant[] accepted = {null};
            Instant previous = lastTime.compute(sample.deviceId(), (device, last) -> {
                if (last == null || sample.timestamp().isAfter(last)) {
                    accepted[0] = sample.timestamp();
                    return sample.timestamp();
                }
                return last;
            });
            if (accepted[0] != null) {
                return List.of(sample);
            }
            if ("drop".equals(action)) {
                return List.of();
            }
            throw new PreprocessException(RejectReason.OUT_OF_ORDER, "timestamps", "time "
                    + sample.timestamp() + (sample.timestamp().equals(previous) ? " repeats" : " is before")
                    + " the last accepted " + previous);
        };
    }

    /**
     * {@code stuck}: a sensor that repeats the same value ({@code tolerance}, default 0) for {@code count} samples
     * in a row (default 10) is stuck: from then on its samples are refused ({@code action: reject}, reason
     * stuck_sensor) or carry a flag {@code <value>.stuck} = 1 ({@code flag}; 0 otherwise), until the value moves.
     */
    static Step stuck(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("features", "count", "tolerance", "action"));
        List<String> features = parameters.features();
        int count = (int) parameters.number("count", 10);
        if (count < 2) {
            throw new IllegalArgumentException("'count' must be at least 2");
        }
        double tolerance = parameters.number("tolerance", 0);
        String action = parameters.choice("action", "reject", Set.of("reject", "flag"));
        Map<String, double[]> runs = new ConcurrentHashMap<>(); // device + value -> {run start value, run length}
        return sample -> {
            Map<String, Double> flags = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Double> value : sample.values().entrySet()) {
                Double x = value.getValue();
                if (x == null || !(features.isEmpty() || features.contains(value.getKey()))) {
                    continue;
                }
                double[] run = runs.compute(sample.deviceId() + "\u0000" + value.getKey(), (key, r) ->
                        r == null || Math.abs(x - r[0]) > tolerance ? new double[] {x, 1} : new double[] {r[0], r[1] + 1});
                boolean isStuck = run[1] >= count;
                if (isStuck && "reject".equals(action)) {
                    throw new PreprocessException(RejectReason.STUCK_SENSOR, "stuck", "'" + value.getKey()
                            + "' has read " + run[0] + " for " + (long) run[1] + " samples");
                }
                if ("flag".equals(action)) {
                    flags.put(value.getKey() + ".stuck", isStuck ? 1.0 : 0.0);
                }
            }
            sample.values().putAll(flags);
            return List.of(sample);
        };
    }
}
