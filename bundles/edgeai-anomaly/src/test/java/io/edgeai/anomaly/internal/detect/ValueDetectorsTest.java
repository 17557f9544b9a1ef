package io.edgeai.anomaly.internal.detect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

public class ValueDetectorsTest {

    private static final long T0 = 1_764_450_000_000L;

    /** A level moved by 1.5 standard deviations of the noise: the short windows cannot tell it, the drift can. */
    @Test
    public void theDriftTellsALevelMovedByLessThanTheNoise() {
        ValueDetectors detectors = new ValueDetectors(DetectorSettings.DEFAULTS);
        Random random = new Random(3);
        double noiseMax = 0;
        double shiftMax = 0;
        double shortNoiseMax = 0;
        double shortShiftMax = 0;
        for (int i = 0; i < 2048; i++) {
            double x = 50 + random.nextGaussian() + (i >= 2000 ? 1.5 : 0);
            double[] raw = detectors.measure(x, T0 + i * 60_000L);
            if (i < 2000 && !Double.isNaN(raw[ValueDetectors.DRIFT])) {
                noiseMax = Math.max(noiseMax, raw[ValueDetectors.DRIFT]);
                shortNoiseMax = Math.max(shortNoiseMax, raw[ValueDetectors.SHIFT]);
            } else if (i >= 2000) {
                shiftMax = Math.max(shiftMax, raw[ValueDetectors.DRIFT]);
                shortShiftMax = Math.max(shortShiftMax, raw[ValueDetectors.SHIFT]);
            }
        }
        // in the value's standard deviations: once the newest readings all moved, the drift measures about the
        // shift, nearly twice what 2,000 readings of noise ever made it; the short window's median (5 readings)
        // moved as much, but no further than its own noise had taken it
        assertTrue("drift in noise " + noiseMax + ", after the shift " + shiftMax, shiftMax > 1.8 * noiseMax);
        assertTrue("shift in noise " + shortNoiseMax + ", after the shift " + shortShiftMax,
                shortShiftMax < shortNoiseMax);
    }

    /**
     * A sawtooth climbing every 16 readings; one tooth falls instead, within the same range: the z-normalised shape
     * distance (the classic matrix profile) is at its largest there. A flat stretch has no z-normalised shape.
     */
    @Test
    public void theShapeTellsAToothTurnedAroundAndNothingOfAFlatStream() {
        ValueDetectors detectors = new ValueDetectors(DetectorSettings.DEFAULTS);
        Random random = new Random(8);
        double normalMax = 0;
        double turnedMax = 0;
        for (int i = 0; i < 1600; i++) {
            int phase = i % 16;
            boolean turned = i >= 1504 && i < 1520;
            double x = (turned ? 15 - phase : phase) + 0.2 * random.nextGaussian();
            double[] raw = detectors.measure(x, T0 + i * 60_000L);
            if (i >= 400 && i < 1504 && !Double.isNaN(raw[ValueDetectors.SHAPE])) {
                normalMax = Math.max(normalMax, raw[ValueDetectors.SHAPE]);
            } else if (i >= 1504) {
                turnedMax = Math.max(turnedMax, raw[ValueDetectors.SHAPE]);
            }
        }
        assertTrue("normal " + normalMax + ", turned " + turnedMax, turnedMax > 3 * normalMax);

        ValueDetectors flat = new ValueDetectors(DetectorSettings.DEFAULTS);
        double[] raw = null;
        for (int i = 0; i < 400; i++) {
            raw = flat.measure(i < 300 ? 5 + 0.5 * random.nextGaussian() : 5, T0 + i * 60_000L);
        }
        assertTrue("a flat stretch: " + raw[ValueDetectors.SHAPE], Double.isNaN(raw[ValueDetectors.SHAPE]));
    }

    /**
     * The shape distances come from dot products carried from reading to reading: they equal the z-normalised nearest
     * neighbour distance computed in full, shape by shape, also far from zero (a level of a million, noise of 1) and
     * after a step there, over thousands of readings.
     */
    @Test
    public void shapeDistancesAreThoseComputedInFull() {
        DetectorSettings settings = DetectorSettings.DEFAULTS;
        int m = settings.subsequence();
        ValueDetectors detectors = new ValueDetectors(settings);
        Random random = new Random(11);
        int n = 4000;
        double[] x = new double[n];
        int compared = 0;
        for (int t = 0; t < n; t++) {
            x[t] = 1e6 + (t >= 2500 ? 300 : 0) + 5 * Math.sin(t / 7.0) + random.nextGaussian();
            double shape = detectors.measure(x[t], T0 + t * 60_000L)[ValueDetectors.SHAPE];
            int candidates = Math.min(settings.references(), t - 2 * m + 1);
            if (candidates < 8) {
                continue;
            }
            double best = Double.POSITIVE_INFINITY;
            for (int lag = m + 1; lag < m + 1 + candidates; lag++) {
                best = Math.min(best, 2 * m * (1 - correlation(x, t - m + 1, t - lag - m + 1, m)));
            }
            assertEquals("at reading " + t, Math.sqrt(Math.max(0, best) / (2 * m)), shape, 1e-6);
            compared++;
        }
        assertEquals(n - 2 * m - 7, compared);
    }

    /** Pearson's correlation of x[a, a + m) and x[b, b + m), computed from centred values. */
    private static double correlation(double[] x, int a, int b, int m) {
        double meanA = 0;
        double meanB = 0;
        for (int i = 0; i < m; i++) {
            meanA += x[a + i];
            meanB += x[b + i];
        }
        meanA /= m;
        meanB /= m;
        double dot = 0;
        double squaresA = 0;
        double squaresB = 0;
        for (int i = 0; i < m; i++) {
            dot += (x[a + i] - meanA) * (x[b + i] - meanB);
            squaresA += (x[a + i] - meanA) * (x[a + i] - meanA);
            squaresB += (x[b + i] - meanB) * (x[b + i] - meanB);
        }
        return dot / Math.sqrt(squaresA * squaresB);
    }
}
