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
