package io.edgeai.preprocess.internal.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import io.edgeai.api.reading.RejectReason;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Each sequence rule on crafted inputs. */
public class SequenceStepsTest {

    private static Sample sample(String device, long millis, Map<String, Double> values) {
        return new Sample(device, Instant.ofEpochMilli(millis), values);
    }

    private static Map<String, Double> values(Object... nameValue) {
        Map<String, Double> values = new HashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            values.put((String) nameValue[i], (Double) nameValue[i + 1]);
        }
        return values;
    }

    @Test
    public void fillWithTheDevicesLastValue() throws Exception {
        Step fill = SequenceSteps.fill(Map.of("features", List.of("t", "h"), "method", "last"));
        fill.apply(sample("a", 1, values("t", 20.0, "h", 40.0)));
        fill.apply(sample("b", 1, values("t", 99.0, "h", 99.0)));
        Sample filled = fill.apply(sample("a", 2, values("t", 21.0, "h", Double.NaN))).get(0);
        assertEquals(Map.of("t", 21.0, "h", 40.0), filled.values());
        assertEquals(Map.of("t", 21.0, "h", 40.0), fill.apply(sample("a", 3, values())).get(0).values());
        PreprocessException none = assertThrows(PreprocessException.class,
                () -> fill.apply(sample("c", 1, values("t", 1.0))));
        assertEquals(RejectReason.MISSING_FIELD, none.reason());
    }

    @Test
    public void fillWithAConstantOrRefuse() throws Exception {
        Step constant = SequenceSteps.fill(Map.of("features", List.of("t"), "method", "constant", "value", -1));
        assertEquals(-1.0, constant.apply(sample("a", 1, values())).get(0).values().get("t"), 0);
        Step drop = SequenceSteps.fill(Map.of("features", List.of("t"), "method", "drop"));
        assertEquals(RejectReason.MISSING_FIELD, assertThrows(PreprocessException.class,
                () -> drop.apply(sample("a", 1, values("h", 1.0)))).reason());
        assertThrows(IllegalArgumentException.class, () -> SequenceSteps.fill(Map.of("method", "last")));
        assertThrows(IllegalArgumentException.class,
                () -> SequenceSteps.fill(Map.of("features", List.of("t"), "method", "constant")));
    }

    @Test
    public void duplicateAndOutOfOrderTimesPerDevice() throws Exception {
        Step reject = SequenceSteps.timestamps(Map.of());
        assertEquals(1, reject.apply(sample("a", 1000, values("t", 1.0))).size());
        assertEquals(1, reject.apply(sample("b", 500, values("t", 1.0))).size()); // another device, its own clock
        PreprocessException repeat = assertThrows(PreprocessException.class,
                () -> reject.apply(sample("a", 1000, values("t", 2.0))));
        assertEquals(RejectReason.OUT_OF_ORDER, repeat.reason());
        assertTrue(repeat.getMessage(), repeat.getMessage().contains("repeats"));
        assertTrue(assertThrows(PreprocessException.class, () -> reject.apply(sample("a", 999, values("t", 2.0))))
                .getMessage().contains("is before"));
        assertEquals(1, reject.apply(sample("a", 1001, values("t", 2.0))).size());

        Step drop = SequenceSteps.timestamps(Map.of("action", "drop"));
        drop.apply(sample("a", 10, values("t", 1.0)));
        assertTrue(drop.apply(sample("a", 10, values("t", 1.0))).isEmpty());
        assertTrue(drop.apply(sample("a", 5, values("t", 1.0))).isEmpty());
        assertEquals(1, drop.apply(sample("a", 11, values("t", 1.0))).size());
    }

    @Test
    public void stuckSensorsAreRefusedOrFlaggedUntilTheyMove() throws Exception {
        Step reject = SequenceSteps.stuck(Map.of("count", 3, "tolerance", 0.01));
        reject.apply(sample("a", 1, values("t", 20.0)));
        reject.apply(sample("a", 2, values("t", 20.005)));
        PreprocessException stuck = assertThrows(PreprocessException.class,
                () -> reject.apply(sample("a", 3, values("t", 20.0))));
        assertEquals(RejectReason.STUCK_SENSOR, stuck.reason());
        assertEquals("the value moved", 1, reject.apply(sample("a", 4, values("t", 21.0))).size());
        assertEquals("another device", 1, reject.apply(sample("b", 3, values("t", 20.0))).size());

        Step flag = SequenceSteps.stuck(Map.of("count", 2, "action", "flag"));
        assertEquals(0.0, flag.apply(sample("a", 1, values("t", 5.0))).get(0).values().get("t.stuck"), 0);
        assertEquals(1.0, flag.apply(sample("a", 2, values("t", 5.0))).get(0).values().get("t.stuck"), 0);
        assertEquals(0.0, flag.apply(sample("a", 3, values("t", 6.0))).get(0).values().get("t.stuck"), 0);
    }
}
