package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import io.edgeai.api.reading.RejectReason;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Cleaning steps that look at one sample at a time. */
final class Cleaning {

    private Cleaning() {
    }

    /** {@code reject-non-finite}: a sample with NaN or an infinity among its (chosen) values is refused. */
    static Step rejectNonFinite(Map<String, Object> definition) {
        List<String> features = new Parameters(definition, Set.of("features")).features();
        return sample -> {
            for (Map.Entry<String, Double> value : sample.values().entrySet()) {
                if ((features.isEmpty() || features.contains(value.getKey())) && value.getValue() != null
                        && !Double.isFinite(value.getValue())) {
                    throw new PreprocessException(RejectReason.NON_FINITE, "reject-non-finite",
                            "'" + value.getKey() + "' is " + value.getValue());
                }
            }
            return List.of(sample);
        };
    }

    /**
     * {@code bounds}: values outside [min, max] are, by {@code action}, refused ({@code reject}, the default),
     * clipped to the bound ({@code clip}), or dropped from the sample ({@code drop}, for a later fill step).
     */
    static Step bounds(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("features", "min", "max", "action"));
        List<String> features = parameters.features();
        double min = parameters.number("min", Double.NEGATIVE_INFINITY);
        double max = parameters.number("max", Double.POSITIVE_INFINITY);
        if (min > max) {
            throw new IllegalArgumentException("'min' " + min + " is above 'max' " + max);
        }
        String action = parameters.choice("action", "reject", Set.of("reject", "clip", "drop"));
        return sample -> {
            Iterator<Map.Entry<String, Double>> values = sample.values().entrySet().iterator();
            while (values.hasNext()) {
                Map.Entry<String, Double> value = values.next();
                Double x = value.getValue();
                if (x == null || !(features.isEmpty() || features.contains(value.getKey())) || (x >= min && x <= max)) {
                    continue;
                }
                switch (action) {
                    case "clip" -> value.setValue(Math.max(min, Math.min(max, x)));
                    case "drop" -> values.remove();
                    default -> throw new PreprocessException(RejectReason.OUT_OF_RANGE, "bounds",
                            "'" + value.getKey() + "' = " + x + " is outside [" + min + ", " + max + "]");
                }
            }
            return List.of(sample);
        };
    }
}
