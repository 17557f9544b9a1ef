package io.edgeai.training.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job spec as JSON gives it (maps, lists, numbers) into a checked {@link JobSpec}. Unknown fields are refused, not
 * ignored: a typo ({@code "epoch"}) must not silently train with a default. Every message names the field.
 */
final class SpecParser {

    private static final Set<String> TOP = Set.of("architecture", "loss", "optimizer", "schedule", "epochs",
            "batchSize", "validationSplit", "earlyStopping", "seed", "data", "autoPromote", "pipeline");
    private static final Set<String> OPTIMIZER = Set.of("type", "learningRate", "momentum", "nesterov", "beta1",
            "beta2", "rho", "epsilon", "weightDecay", "clipGradient");
    private static final Set<String> SCHEDULE = Set.of("type", "stepEpochs", "factor", "finalRate", "warmupEpochs");
    private static final Set<String> EARLY = Set.of("patience", "minDelta");

    private SpecParser() {
    }

    /**
     * @param home the folder relative CSV paths are resolved against (the gateway's home)
     */
    static JobSpec parse(Map<String, Object> spec, Path home) {
        if (spec == null) {
            throw new InvalidSpecException("spec: missing");
        }
        known(spec, TOP, "");
        Map<String, Object> architecture = architecture(spec.get("architecture"));
        Map<String, Object> opt = object(spec.get("optimizer"), "optimizer");
        known(opt, OPTIMIZER, "optimizer.");
        OptimizerSpec defaults = OptimizerSpec.of("adam", 0.001);
        OptimizerSpec optimizer = new OptimizerSpec(text(opt, "type", "adam", "optimizer."),
                number(opt, "learningRate", defaults.learningRate(), "optimizer."),
                number(opt, "momentum", defaults.momentum(), "optimizer."),
                bool(opt, "nesterov", false, "optimizer."),
                number(opt, "beta1", defaults.beta1(), "optimizer."),
                number(opt, "beta2", defaults.beta2(), "optimizer."),
                number(opt, "rho", defaults.rho(), "optimizer."),
                number(opt, "epsilon", defaults.epsilon(), "optimizer."),
                number(opt, "weightDecay", 0, "optimizer."),
                number(opt, "clipGradient", 0, "optimizer."));
        Map<String, Object> sch = object(spec.get("schedule"), "schedule");
        known(sch, SCHEDULE, "schedule.");
        ScheduleSpec schedule = new ScheduleSpec(text(sch, "type", "constant", "schedule."),
                integer(sch, "stepEpochs", 0, "schedule."), number(sch, "factor", 1, "schedule."),
                number(sch, "finalRate", 0, "schedule."), integer(sch, "warmupEpochs", 0, "schedule."));
        Map<String, Object> early = object(spec.get("earlyStopping"), "earlyStopping");
        known(early, EARLY, "earlyStopping.");
        TrainSpec train = new TrainSpec(architecture, text(spec, "loss", "", ""), optimizer, schedule,
                integer(spec, "epochs", 100, ""), integer(spec, "batchSize", 32, ""),
                number(spec, "validationSplit", 0.2, ""), integer(early, "patience", 10, "earlyStopping."),
                number(early, "minDelta", 0, "earlyStopping."), (long) number(spec, "seed", 1, ""));
        train.check();
        JobSpec.Data data = data(spec.get("data"), home);
        Object pipeline = spec.get("pipeline");
        if (pipeline != null) {
            if (!(pipeline instanceof String) && !(pipeline instanceof Map<?, ?>)) {
                throw new InvalidSpecException("pipeline: a pipeline's name (a file in etc/ or deploy/) or its"
                        + " definition ({\"steps\": [...]}), got " + pipeline);
            }
            if (data instanceof JobSpec.Inline) {
                throw new InvalidSpecException("pipeline: inline rows have no value names for its steps; use data"
                        + " from a CSV file or the readings history");
            }
        }
        return new JobSpec(train, data, bool(spec, "autoPromote", false, ""), pipeline);
    }

    private static Map<String, Object> architecture(Object value) {
        if (value instanceof String name) {
            return Map.of("name", name);
        }
        if (value == null) {
            throw new InvalidSpecException("architecture: missing (\"mlp\", or {\"name\": \"mlp\", \"hidden\": [32]})");
        }
        return object(value, "architecture");
    }

    private static JobSpec.Data data(Object value, Path home) {
        Map<String, Object> data = object(value, "data");
        if (data.isEmpty()) {
            throw new InvalidSpecException("data: missing ({\"source\": \"csv\", \"file\": ..., \"inputs\": [...],"
                    + " \"targets\": [...]} or {\"source\": \"inline\", \"inputs\": [[...]], \"targets\": [[...]]})");
        }
        String source = text(data, "source", "", "data.");
        switch (source) {
            case "inline": {
                known(data, Set.of("source", "inputs", "targets"), "data.");
                float[][] inputs = rows(data.get("inputs"), "data.inputs");
                float[][] targets = data.get("targets") == null ? null : rows(data.get("targets"), "data.targets");
                return new JobSpec.Inline(inputs, targets);
            }
            case "csv": {
                known(data, Set.of("source", "file", "inputs", "targets", "time"), "data.");
                String file = text(data, "file", "", "data.");
                if (file.isEmpty()) {
                    throw new InvalidSpecException("data.file: missing (a CSV file with a header row)");
                }
                List<String> inputs = names(data.get("inputs"), "data.inputs");
                if (inputs.isEmpty()) {
                    throw new InvalidSpecException("data.inputs: name at least one column");
                }
                List<String> targets = data.get("targets") == null ? List.of() : names(data.get("targets"),
                        "data.targets");
                String time = text(data, "time", "", "data.");
                return new JobSpec.Csv(home.resolve(file).normalize(), inputs, targets, time.isEmpty() ? null : time);
            }
            case "readings": {
                known(data, Set.of("source", "device", "from", "to", "last", "inputs", "targets"), "data.");
                String device = text(data, "device", "", "data.");
                if (device.isEmpty()) {
                    throw new InvalidSpecException("data.device: missing (the device whose recent readings to learn"
                            + " from)");
                }
                java.time.Duration last = data.get("last") == null ? null : duration(text(data, "last", "",
                        "data."), "data.last");
                if (last != null && (data.get("from") != null || data.get("to") != null)) {
                    throw new InvalidSpecException("data.last: give either 'last' or 'from'/'to'");
                }
                return new JobSpec.Readings(device, instant(data, "from"), instant(data, "to"), last,
                        data.get("inputs") == null ? List.of() : names(data.get("inputs"), "data.inputs"),
                        data.get("targets") == null ? List.of() : names(data.get("targets"), "data.targets"));
            }
            default:
                throw new InvalidSpecException("data.source: unknown '" + source + "' (known: csv, inline,"
                        + " readings)");
        }
    }

    private static java.time.Instant instant(Map<String, Object> data, String key) {
        String text = text(data, key, "", "data.");
        if (text.isEmpty()) {
            return null;
        }
        try {
            return java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidSpecException("data." + key + ": '" + text + "' is not an ISO-8601 time such as"
                    + " 2026-11-30T00:00:00Z");
        }
    }

    /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}. */
    static java.time.Duration duration(String text, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(s|m|h|d)").matcher(text.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new InvalidSpecException(field + ": '" + text + "' is not a period such as 90s, 30m, 24h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofDays(n);
        };
    }

    private static float[][] rows(Object value, String field) {
        if (!(value instanceof List<?> list)) {
            throw new InvalidSpecException(field + ": a list of rows, e.g. [[1, 2], [3, 4]]");
        }
        float[][] rows = new float[list.size()][];
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof List<?> row)) {
                throw new InvalidSpecException(field + "[" + i + "]: a row is a list of numbers");
            }
            rows[i] = new float[row.size()];
            for (int j = 0; j < row.size(); j++) {
                if (!(row.get(j) instanceof Number n)) {
                    throw new InvalidSpecException(field + "[" + i + "][" + j + "]: " + row.get(j) + " is not a number");
                }
                rows[i][j] = n.floatValue();
            }
        }
        return rows;
    }

    private static List<String> names(Object value, String field) {
        if (!(value instanceof List<?> list)) {
            throw new InvalidSpecException(field + ": a list of column names");
        }
        List<String> names = new ArrayList<>();
        for (Object item : list) {
            names.add(String.valueOf(item));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String field) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidSpecException(field + ": an object expected, got " + value);
        }
        return new LinkedHashMap<>((Map<String, Object>) map);
    }

    private static void known(Map<String, Object> map, Set<String> names, String prefix) {
        for (String key : map.keySet()) {
            if (!names.contains(key)) {
                throw new InvalidSpecException(prefix + key + ": unknown field (known: "
                        + String.join(", ", names.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(Map<String, Object> map, String key, String fallback, String prefix) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String s)) {
            throw new InvalidSpecException(prefix + key + ": text expected, got " + value);
        }
        return s;
    }

    private static double number(Map<String, Object> map, String key, double fallback, String prefix) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new InvalidSpecException(prefix + key + ": a number expected, got " + value);
        }
        return n.doubleValue();
    }

    private static int integer(Map<String, Object> map, String key, int fallback, String prefix) {
        double value = number(map, key, fallback, prefix);
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new InvalidSpecException(prefix + key + ": a whole number expected, got " + value);
        }
        return (int) value;
    }

    private static boolean bool(Map<String, Object> map, String key, boolean fallback, String prefix) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean b)) {
            throw new InvalidSpecException(prefix + key + ": true or false expected, got " + value);
        }
        return b;
    }
}
