package io.edgeai.preprocess.internal.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class UnitsTest {

    private static double convert(Map<String, Object> definition, double x) throws Exception {
        Step step = Units.convert(definition);
        Map<String, Double> values = new HashMap<>();
        values.put("t", x);
        return step.apply(new Sample("d", Instant.EPOCH, values)).get(0).values().get("t");
    }

    @Test
    public void knownUnits() throws Exception {
        assertEquals(100.0, convert(Map.of("features", List.of("t"), "from", "F", "to", "C"), 212), 1e-12);
        assertEquals(-40.0, convert(Map.of("features", List.of("t"), "from", "C", "to", "F"), -40), 1e-12);
        assertEquals(0.0, convert(Map.of("features", List.of("t"), "from", "K", "to", "C"), 273.15), 1e-12);
        assertEquals(1013.25, convert(Map.of("features", List.of("t"), "from", "Pa", "to", "hPa"), 101325), 1e-9);
        assertEquals(10.0, convert(Map.of("features", List.of("t"), "from", "km/h", "to", "m/s"), 36), 1e-12);
        assertEquals(5.0, convert(Map.of("features", List.of("t"), "scale", 2, "offset", -1), 3), 0);
    }

    @Test
    public void mismatchedOrUnknownUnitsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Units.convert(Map.of("features", List.of("t"), "from", "C", "to", "bar")));
        assertThrows(IllegalArgumentException.class,
                () -> Units.convert(Map.of("features", List.of("t"), "from", "C", "to", "rankine")));
        assertThrows(IllegalArgumentException.class, () -> Units.convert(Map.of("from", "C", "to", "F")));
    }
}
