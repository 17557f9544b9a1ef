package io.edgeai.preprocess.internal.steps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Learned (a, b) pairs per feature, as plain values for the model archive and back, bits preserved. */
final class Pairs {

    private Pairs() {
    }

    static Map<String, Object> toState(Map<String, double[]> pairs) {
        Map<String, Object> state = new LinkedHashMap<>();
        pairs.forEach((name, pair) -> state.put(name, List.of(pair[0], pair[1])));
        return state;
    }

    static Map<String, double[]> fromState(Map<String, Object> state) {
        Map<String, double[]> pairs = new LinkedHashMap<>();
        state.forEach((name, value) -> {
            List<?> pair = (List<?>) value;
            pairs.put(name, new double[] {((Number) pair.get(0)).doubleValue(), ((Number) pair.get(1)).doubleValue()});
        });
        return pairs;
    }
}
