package io.edgeai.anomaly.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/**
 * The watch's bookkeeping with the simplest forecaster there is (the window's mean: a forecast of 0 in its centred
 * units): warm-up, the training set it hands the trainer, calibration on the forecaster's own errors, scores in those
 * units, and a spike that does not spoil the history after it. (With the gateway's trainer and the real engine:
 * StreamWatchTest in edgeai-training.)
 */
public class StreamWatchTest {

    private static final StreamWatch.Forecaster MEAN = row -> new float[] {0f};

    private static double reading(int i, Random noise) {
        return 20 + 3 * Math.sin(2 * Math.PI * i / 50) + 0.2 * noise.nextGaussian();
    }

    @Test
    public void learnsScoresAndFlagsASpikeWithoutSpoilingTheHistoryAfterIt() throws Exception {
        WatchSettings settings = new WatchSettings(8, 200, 0, 200, 3, 48, List.of(8), 10);
        StreamWatch watch = new StreamWatch(List.of("t"), settings);
        Random noise = new Random(7);
        int i = 0;
        for (; i < 200; i++) {
            StreamWatch.Observation learning = watch.observe(new double[] {reading(i, noise)}, MEAN);
            assertEquals(StreamWatch.Kind.LEARNING, learning.kind());
            assertEquals("warm-up readings", 200, learning.needed());
        }
        assertTrue("the warm-up is complete", watch.trainingDue());
        StreamWatch.TrainingSet set = watch.trainingSet();
        assertEquals(set.inputs().length, set.targets().length);
        assertEquals("a row is the window", 8, set.inputs()[0].length);
        Map<String, Object> spec = settings.spec(set.inputs(), set.targets(), 1);
        assertEquals(Map.of("source", "inline", "inputs", ((Map<?, ?>) spec.get("data")).get("inputs"), "targets",
                ((Map<?, ?>) spec.get("data")).get("targets")), spec.get("data"));
        float[][] forecasts = new float[set.inputs().length][];
        for (int r = 0; r < forecasts.length; r++) {
            forecasts[r] = new float[] {0f};
        }
        watch.calibrate(set, forecasts);
        assertFalse("retrainEvery 0: never again", watch.trainingDue());

        int flagged = 0;
        double largest = 0;
        for (; i < 700; i++) {
            StreamWatch.Observation scored = watch.observe(new double[] {reading(i, noise)}, MEAN);
            assertEquals(StreamWatch.Kind.SCORED, scored.kind());
            flagged += scored.anomaly() ? 1 : 0;
            largest = Math.max(largest, scored.score());
        }
        assertTrue("normal readings stay under the threshold: " + flagged + " flagged, largest score " + largest,
                flagged == 0 && largest < 3);

        StreamWatch.Observation spike = watch.observe(new double[] {reading(i++, noise) + 15}, MEAN);
        assertTrue("a spike of five times the wave's amplitude: score " + spike.score(), spike.anomaly()
                && spike.score() > 3);
        assertEquals("its expected value is the window's mean, near the wave", 20, spike.expected()[0], 4);
        StreamWatch.Observation after = watch.observe(new double[] {reading(i, noise)}, MEAN);
        assertFalse("the reading after the spike is normal again: score " + after.score(), after.anomaly());
    }
}
