package io.edgeai.preprocess.internal.steps;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A step's parameters from its definition, read with messages that name the parameter and say what is wrong. */
final class Parameters {

    private final Map<String, Object> values;

    Parameters(Map<String, Object> values, Set<String> allowed) {
        this.values = values;
        for (String key : values.keySet()) {
            if (!"type".equals(key) && !allowed.contains(key)) {
                throw new IllegalArgumentException("unknown parameter '" + key + "' (known: " + allowed + ")");
            }
        }
    }

    /** The feature names the step works on; empty = every value it sees. */
    List<String> features() {
        Object features = values.get("features");
        if (features == null) {
            return List.of();
        }
        if (!(features instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("'features' must be a list of value names, not " + features);
        }
        return list.stream().map(String.class::cast).toList();
    }

    /** A list of texts, or the fallback when absent. */
    List<String> list(String name, List<String> fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("'" + name + "' must be a list of names, not " + value);
        }
        return list.stream().map(String.class::cast).toList();
    }

    double number(String name, double fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw new IllegalArgumentException("'" + name + "' must be a finite number, not " + value);
        }
        return number.doubleValue();
    }

    /** True when the parameter is given. */
    boolean has(String name) {
        return values.get(name) != null;
    }

    /**
     * A duration in milliseconds, written {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or {@code 1d}; a plain
     * number is milliseconds. Must be positive.
     */
    long millis(String name, long fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        long millis;
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            millis = number.longValue();
        } else if (value instanceof String text && text.trim().matches("\\d+(ms|s|m|h|d)")) {
            String t = text.trim();
            String unit = t.replaceAll("\\d+", "");
            long amount = Long.parseLong(t.substring(0, t.length() - unit.length()));
            millis = switch (unit) {
                case "ms" -> amount;
                case "s" -> amount * 1000;
                case "m" -> amount * 60_000;
                case "h" -> amount * 3_600_000;
                default -> amount * 86_400_000;
            };
        } else {
            throw new IllegalArgumentException("'" + name + "' must be a duration such as 500ms, 10s, 5m, 1h, not "
                    + value);
        }
        if (millis <= 0) {
            throw new IllegalArgumentException("'" + name + "' must be positive, not " + value);
        }
        return millis;
    }

    String choice(String name, String fallback, Set<String> choices) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text) || !choices.contains(text)) {
            throw new IllegalArgumentException("'" + name + "' must be one of " + choices + ", not " + value);
        }
        return text;
    }
}
