package io.edgeai.preprocess.internal.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import io.edgeai.api.reading.RejectReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Resampling and linear gap filling against values worked out by hand. */
public class TimeStepsTest {

    private static Sample at(long millis, Map<String, Double> values) {
        return new Sample("d", Instant.ofEpochMilli(millis), new HashMap<>(values));
    }

    private static List<Sample> feed(Step step, Sample... samples) throws Exception {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            out.addAll(step.apply(s));
        }
        return out;
    }

    private static long[] times(List<Sample> samples) {
        return samples.stream().mapToLong(s -> s.timestamp().toEpochMilli()).toArray();
    }

    @Test
    public void linearResamplingOnASecondGrid() throws Exception {
        Step resample = BuiltInSteps.types().get("resample").apply(Map.of("type", "resample", "period", "1s"));
        // 10 at 0.5 s, 20 at 3.0 s, 26 at 3.6 s: the grid points 1, 2, 3 s lie on the line 10 + 4 (t - 0.5)
        assertTrue("0.5 s is off the grid and nothing comes before it",
                resample.apply(at(500, Map.of("x", 10.0))).isEmpty());
        List<Sample> out = feed(resample, at(3_000, Map.of("x", 20.0)));
        assertEquals(List.of(1_000L, 2_000L, 3_000L), java.util.Arrays.stream(times(out)).boxed().toList());
        assertEquals(12.0, out.get(0).values().get("x"), 1e-12);
        assertEquals(16.0, out.get(1).values().get("x"), 1e-12);
        assertEquals(20.0, out.get(2).values().get("x"), 0);
        assertTrue("3.6 s: no grid point in (3 s, 3.6 s]", resample.apply(at(3_600, Map.of("x", 26.0))).isEmpty());
        // 4.6 s: grid point 4 s on the line from (3.6, 26) to (4.6, 36): 30
        List<Sample> next = feed(resample, at(4_600, Map.of("x", 36.0)));
        assertEquals(1, next.size());
        assertEquals(4_000L, next.get(0).timestamp().toEpochMilli());
        assertEquals(30.0, next.get(0).values().get("x"), 1e-12);
    }

    @Test
    public void previousValueResamplingAndLongGaps() throws Exception {
        Step resample = BuiltInSteps.types().get("resample").apply(Map.of("type", "resample", "period", "1s",
                "method", "previous", "maxGap", "5s"));
        resample.apply(at(0, Map.of("x", 1.0)));
        List<Sample> out = feed(resample, at(2_500, Map.of("x", 7.0)));
        assertEquals(2, out.size());
        assertEquals(1.0, out.get(0).values().get("x"), 0);
        assertEquals(1.0, out.get(1).values().get("x"), 0);
        // a 10 s gap is longer than maxGap: no invented values, the grid restarts at 12.5 s
        assertTrue(resample.apply(at(12_500, Map.of("x", 3.0))).isEmpty());
        List<Sample> after = feed(resample, at(14_000, Map.of("x", 5.0)));
        assertEquals(List.of(13_000L, 14_000L), java.util.Arrays.stream(times(after)).boxed().toList());
        assertEquals(3.0, after.get(0).values().get("x"), 0);
        assertEquals(5.0, after.get(1).values().get("x"), 0);
        PreprocessException late = assertThrows(PreprocessException.class,
                () -> resample.apply(at(13_000, Map.of("x", 1.0))));
        assertEquals(RejectReason.OUT_OF_ORDER, late.reason());
    }

    @Test
    public void resamplingAValueOnlyOneSampleHas() throws Exception {
        Step resample = BuiltInSteps.types().get("resample").apply(Map.of("type", "resample", "period", "1s"));
        resample.apply(at(0, Map.of("x", 0.0)));
        List<Sample> out = feed(resample, at(2_000, Map.of("x", 2.0, "y", 9.0)));
        assertEquals(Map.of("x", 1.0), out.get(0).values());
        assertEquals(Map.of("x", 2.0, "y", 9.0), out.get(1).values());
    }

    @Test
    public void linearFillInterpolatesInTimeOnceTheNextValueComes() throws Exception {
        Step fill = BuiltInSteps.types().get("fill").apply(Map.of("type", "fill", "features", List.of("x"),
                "method", "linear"));
        assertEquals(1, fill.apply(at(0, Map.of("x", 10.0, "y", 1.0))).size());
        // x missing at 1 s and 3 s (NaN), present again at 4 s with 30: 15 and 25 on the line 10 + 5 t
        assertTrue(fill.apply(at(1_000, Map.of("y", 2.0))).isEmpty());
        assertTrue(fill.apply(at(3_000, Map.of("x", Double.NaN, "y", 3.0))).isEmpty());
        List<Sample> out = feed(fill, at(4_000, Map.of("x", 30.0, "y", 4.0)));
        assertEquals("held samples leave in order, with the one that completed them", 3, out.size());
        assertEquals(List.of(1_000L, 3_000L, 4_000L), java.util.Arrays.stream(times(out)).boxed().toList());
        assertEquals(15.0, out.get(0).values().get("x"), 1e-12);
        assertEquals(2.0, out.get(0).values().get("y"), 0);
        assertEquals(25.0, out.get(1).values().get("x"), 1e-12);
        assertEquals(30.0, out.get(2).values().get("x"), 0);
    }

    @Test
    public void linearFillGivesUpWaitingAfterMaxHeldAndRefusesWithoutHistory() throws Exception {
        Step fill = BuiltInSteps.types().get("fill").apply(Map.of("type", "fill", "features", List.of("x"),
                "method", "linear", "maxHeld", 2));
        PreprocessException first = assertThrows(PreprocessException.class, () -> fill.apply(at(0, Map.of())));
        assertEquals(RejectReason.MISSING_FIELD, first.reason());
        fill.apply(at(1_000, Map.of("x", 5.0)));
        assertTrue(fill.apply(at(2_000, Map.of())).isEmpty());
        assertTrue(fill.apply(at(3_000, Map.of())).isEmpty());
        List<Sample> out = fill.apply(at(4_000, Map.of()));
        assertEquals("a third waiting sample pushes the oldest out with the last value", 1, out.size());
        assertEquals(2_000L, out.get(0).timestamp().toEpochMilli());
        assertEquals(5.0, out.get(0).values().get("x"), 0);
        assertThrows(IllegalArgumentException.class, () -> BuiltInSteps.types().get("fill").apply(Map.of(
                "type", "fill", "features", List.of("x"), "method", "last", "maxHeld", 2)));
    }
}
