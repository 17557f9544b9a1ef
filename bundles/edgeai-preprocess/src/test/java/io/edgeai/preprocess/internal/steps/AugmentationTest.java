package io.edgeai.preprocess.internal.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import io.edgeai.preprocess.internal.FittedPipeline;
import io.edgeai.preprocess.internal.PipelineDefinition;
import io.edgeai.preprocess.internal.stats.RunningStats;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Augmentation: the noise it promises, repeatable with a seed, and never applied when serving. */
public class AugmentationTest {

    private static double through(Step step, String device, double x) throws Exception {
        Map<String, Double> values = new HashMap<>();
        values.put("x", x);
        return step.apply(new Sample(device, Instant.EPOCH, values)).get(0).values().get("x");
    }

    @Test
    public void jitterAddsNoiseOfTheGivenSigma() throws Exception {
        Step jitter = Augmentation.jitter(Map.of("sigma", 0.5, "seed", 1));
        RunningStats noise = new RunningStats();
        for (int i = 0; i < 100_000; i++) {
            noise.add(through(jitter, "d", 10) - 10);
        }
        assertEquals(0, noise.mean(), 0.01);
        assertEquals(0.5, noise.std(), 0.01);
        assertTrue(jitter.trainingOnly());
    }

    @Test
    public void scalingMultipliesEverythingInASampleByOneFactor() throws Exception {
        Step scaling = Augmentation.scaling(Map.of("sigma", 0.1, "seed", 2));
        Map<String, Double> values = new HashMap<>(Map.of("a", 2.0, "b", 4.0));
        Map<String, Double> out = scaling.apply(new Sample("d", Instant.EPOCH, values)).get(0).values();
        assertEquals(2.0, out.get("b") / out.get("a"), 1e-12);
        assertNotEquals(2.0, out.get("a"), 0);
    }

    @Test
    public void magnitudeWarpIsSmoothBetweenKnots() throws Exception {
        Step warp = Augmentation.magnitudeWarp(Map.of("knots", 4, "sigma", 0.2, "seed", 3));
        double[] factors = new double[9];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = through(warp, "d", 1);
        }
        // linear between knots: equal steps inside each run of 4
        for (int start = 0; start < 8; start += 4) {
            double step = factors[start + 1] - factors[start];
            for (int i = start + 1; i < start + 4; i++) {
                assertEquals(step, factors[i] - factors[i - 1], 1e-12);
            }
        }
        // and continuous across a knot: the next run starts where the line was heading
        assertEquals(factors[3] + (factors[3] - factors[2]), factors[4], 1e-12);
    }

    @Test
    public void sameSeedSameAugmentation() throws Exception {
        Step a = Augmentation.jitter(Map.of("seed", 9));
        Step b = Augmentation.jitter(Map.of("seed", 9));
        for (int i = 0; i < 100; i++) {
            assertEquals(Double.doubleToRawLongBits(through(a, "d", i)), Double.doubleToRawLongBits(through(b, "d", i)));
        }
    }

    @Test
    public void servingSkipsAugmentation() throws Exception {
        FittedPipeline pipeline = new FittedPipeline(PipelineDefinition.parse(
                "name: aug\nsteps:\n  - type: jitter\n    sigma: 5\n  - type: scaling\n", false),
                BuiltInSteps.types()::get);
        pipeline.fit(List.of(new Sample("d", Instant.EPOCH, Map.of("x", 1.0))));
        assertEquals(3.0, pipeline.apply(new Sample("d", Instant.EPOCH, Map.of("x", 3.0))).get(0).values().get("x"), 0);
    }

    @Test
    public void timeWarpMovesTimesSmoothlyAndKeepsValues() throws Exception {
        Step warp = BuiltInSteps.types().get("time-warp").apply(Map.of("type", "time-warp", "sigma", 0.3,
                "knots", 5, "seed", 7));
        assertTrue(warp.trainingOnly());
        long previous = Long.MIN_VALUE;
        boolean moved = false;
        for (int i = 0; i < 100; i++) {
            Sample in = new Sample("d", Instant.ofEpochSecond(1_000 + i), Map.of("x", (double) i));
            Sample out = warp.apply(in).get(0);
            assertEquals((double) i, out.values().get("x"), 0);
            long t = out.timestamp().toEpochMilli();
            assertTrue("time keeps its order", t > previous);
            moved |= t != in.timestamp().toEpochMilli();
            previous = t;
        }
        assertTrue("the time axis is warped", moved);
    }

    @Test
    public void windowSliceStretchesASliceBackToTheWindowSize() throws Exception {
        Step slice = BuiltInSteps.types().get("window-slice").apply(Map.of("type", "window-slice", "size", 10,
                "ratio", 0.5, "seed", 3));
        List<Sample> out = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.addAll(slice.apply(new Sample("d", Instant.ofEpochSecond(i), Map.of("x", (double) i))));
        }
        assertEquals(10, out.size());
        // x = t on the input: the slice of 5 consecutive values start..start+4 stretched over 10 samples is linear
        double start = out.get(0).values().get("x");
        for (int j = 0; j < 10; j++) {
            assertEquals(Instant.ofEpochSecond(j), out.get(j).timestamp());
            assertEquals(start + j * 4.0 / 9, out.get(j).values().get("x"), 1e-12);
        }
        assertTrue(start >= 0 && start <= 5);
        Step whole = BuiltInSteps.types().get("window-slice").apply(Map.of("type", "window-slice", "size", 4,
                "ratio", 1));
        for (int i = 0; i < 3; i++) {
            assertTrue(whole.apply(new Sample("d", Instant.ofEpochSecond(i), Map.of("x", (double) i))).isEmpty());
        }
        assertEquals(3.0, whole.apply(new Sample("d", Instant.ofEpochSecond(3), Map.of("x", 3.0))).get(3).values()
                .get("x"), 0);
    }
}
