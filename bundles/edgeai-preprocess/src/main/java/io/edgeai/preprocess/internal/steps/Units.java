package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.Step;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * {@code convert}: one feature from one unit to another: temperature ({@code C}, {@code F}, {@code K}), pressure
 * ({@code Pa}, {@code hPa}, {@code kPa}, {@code bar}, {@code psi}), speed ({@code m/s}, {@code km/h}, {@code mph}),
 * or any linear change with {@code scale} and {@code offset} (x * scale + offset).
 */
final class Units {

    /** Each unit to its family's base unit (C, Pa, m/s), and back. */
    private record Unit(String family, DoubleUnaryOperator toBase, DoubleUnaryOperator fromBase) {
    }

    private static final Map<String, Unit> UNITS = Map.ofEntries(
            Map.entry("C", new Unit("temperature", c -> c, c -> c)),
            Map.entry("F", new Unit("temperature", f -> (f - 32) * 5 / 9, c -> c * 9 / 5 + 32)),
            Map.entry("K", new Unit("temperature", k -> k - 273.15, c -> c + 273.15)),
            Map.entry("Pa", new Unit("pressure", p -> p, p -> p)),
            Map.entry("hPa", new Unit("pressure", p -> p * 100, p -> p / 100)),
            Map.entry("kPa", new Unit("pressure", p -> p * 1000, p -> p / 1000)),
            Map.entry("bar", new Unit("pressure", p -> p * 100_000, p -> p / 100_000)),
            Map.entry("psi", new Unit("pressure", p -> p * 6894.757293168, p -> p / 6894.757293168)),
            Map.entry("m/s", new Unit("speed", v -> v, v -> v)),
            Map.entry("km/h", new Unit("speed", v -> v / 3.6, v -> v * 3.6)),
            Map.entry("mph", new Unit("speed", v -> v * 0.44704, v -> v / 0.44704)));

    private Units() {
    }

    static Step convert(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("features", "from", "to", "scale", "offset"));
        List<String> features = parameters.features();
        if (features.isEmpty()) {
            throw new IllegalArgumentException("'features' is required: the values to convert");
        }
        DoubleUnaryOperator conversion;
        if (definition.containsKey("from") || definition.containsKey("to")) {
            Unit from = unit(definition.get("from"), "from");
            Unit to = unit(definition.get("to"), "to");
            if (!from.family().equals(to.family())) {
                throw new IllegalArgumentException("cannot convert " + from.family() + " to " + to.family());
            }
            conversion = from.toBase().andThen(to.fromBase());
        } else {
            double scale = parameters.number("scale", 1);
            double offset = parameters.number("offset", 0);
            conversion = x -> x * scale + offset;
        }
        return sample -> {
            for (String feature : features) {
                Double x = sample.values().get(feature);
                if (x != null) {
                    sample.values().put(feature, conversion.applyAsDouble(x));
                }
            }
            return List.of(sample);
        };
    }

    private static Unit unit(Object name, String parameter) {
        Unit unit = name instanceof String text ? UNITS.get(text) : null;
        if (unit == null) {
            throw new IllegalArgumentException("'" + parameter + "' must be one of " + new java.util.TreeSet<>(
                    UNITS.keySet()) + ", not " + name);
        }
        return unit;
    }
}
