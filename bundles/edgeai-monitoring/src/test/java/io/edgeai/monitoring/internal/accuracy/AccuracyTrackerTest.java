package io.edgeai.monitoring.internal.accuracy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class AccuracyTrackerTest {

    @Test
    public void labelsJoinTheNewestPredictionAtOrBeforeTheirTimeWithinTheTolerance() {
        AccuracyTracker tracker = new AccuracyTracker(100, 5_000);
        tracker.predicted("d", new AccuracyTracker.Prediction(1_000, "m", 1, new float[] {10}));
        tracker.predicted("d", new AccuracyTracker.Prediction(2_000, "m", 1, new float[] {20}));
        tracker.predicted("d", new AccuracyTracker.Prediction(3_000, "m", 2, new float[] {30}));
        assertEquals(20, tracker.label("d", 2_500, 21).orElseThrow().outputs()[0], 0);
        assertEquals(2, tracker.label("d", 3_000, 33).orElseThrow().version());
        assertTrue("before any prediction", tracker.label("d", 500, 1).isEmpty());
        assertTrue("too long after its prediction", tracker.label("d", 9_000, 1).isEmpty());
        assertTrue("another device", tracker.label("e", 2_000, 1).isEmpty());
        List<AccuracyTracker.Score> scores = tracker.scores();
        assertEquals(new AccuracyTracker.Score("m", 1, 1, 1.0, Double.NaN, 1, 1.0, 0, 0).toString(), scores.get(0).toString());
        assertEquals(3.0, scores.get(1).mae(), 0);
    }

    @Test
    public void aClassifierIsScoredByItsMostProbableClass() {
        AccuracyTracker tracker = new AccuracyTracker(10, 0);
        tracker.predicted("d", new AccuracyTracker.Prediction(1, "c", 1, new float[] {0.1f, 0.7f, 0.2f}));
        tracker.predicted("d", new AccuracyTracker.Prediction(2, "c", 1, new float[] {0.8f, 0.1f, 0.1f}));
        assertTrue(tracker.label("d", 1, 1).orElseThrow().correct());
        assertTrue(!tracker.label("d", 2, 2).orElseThrow().correct());
        assertEquals(0.5, tracker.scores().get(0).accuracy(), 0);
    }

    @Test
    public void onlyTheNewestPredictionsOfADeviceAreKept() {
        AccuracyTracker tracker = new AccuracyTracker(2, 1_000_000);
        for (int i = 1; i <= 3; i++) {
            tracker.predicted("d", new AccuracyTracker.Prediction(i * 10, "m", 1, new float[] {i}));
        }
        assertTrue("forgotten", tracker.label("d", 15, 1).isEmpty());
        assertEquals(2, tracker.label("d", 25, 2).orElseThrow().outputs()[0], 0);
    }
}
