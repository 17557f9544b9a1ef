package io.edgeai.monitoring.internal.drift;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.junit.Test;

public class DriftDetectorTest {

    private static final int WINDOW = 100;
    private static final double ALPHA = 0.001;

    private static double[] normal(Random random, int n, double mean) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = mean + random.nextGaussian();
        }
        return values;
    }

    @Test
    public void aMeanShiftIsFlaggedWithin100SamplesWithUnder1PercentFalseAlarms() {
        measure(1); // every value compared
        measure(10); // the shipped driftStride: one comparison in ten values
    }

    private static void measure(int stride) {
        Random random = new Random(2026);
        double[] reference = normal(random, 5000, 0);
        DriftDetector detector = new DriftDetector(reference, WINDOW, ALPHA, stride);
        // 10^4 stationary samples from the reference's own distribution
        int evaluated = 0;
        int flagged = 0;
        int alarms = 0;
        for (double x : normal(random, 10_000, 0)) {
            DriftDetector.State state = detector.add(x);
            if (!Double.isNaN(state.ks()) && (state.samples() - WINDOW) % stride == 0) {
                evaluated++;
                flagged += state.drifting() ? 1 : 0;
                alarms += state.changed() && state.drifting() ? 1 : 0;
            }
        }
        double falseAlarmRate = flagged / (double) evaluated;
        // then the mean shifts by one standard deviation
        int delay = -1;
        double psiAtDetection = Double.NaN;
        double[] shifted = normal(random, 1000, 1);
        for (int i = 0; i < shifted.length; i++) {
            DriftDetector.State state = detector.add(shifted[i]);
            if (state.drifting()) {
                delay = i + 1;
                psiAtDetection = state.psi();
                break;
            }
        }
        System.out.printf(Locale.ROOT, "drift, stride %d: %d stationary windows evaluated, %d flagged (false-alarm rate"
                + " %.4f, %d alarms); a 1-sigma mean shift flagged after %d samples (PSI then %.3f); window %d, alpha"
                + " %s%n", stride, evaluated, flagged, falseAlarmRate, alarms, delay, psiAtDetection, WINDOW, ALPHA);
        assertTrue("false-alarm rate " + falseAlarmRate, falseAlarmRate < 0.01);
        assertTrue("detected after " + delay + " samples", delay > 0 && delay <= 100);
    }

    @Test
    public void theMeasuresAreTheTextbookOnes() {
        // identical samples: D = 0, p = 1; disjoint samples: D = 1
        double[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(0, DriftDetector.ks(a, a), 0);
        assertEquals(1, DriftDetector.ks(a, new double[] {11, 12, 13, 14, 15, 16, 17, 18, 19, 20}), 0);
        assertEquals(0.5, DriftDetector.ks(a, new double[] {6, 7, 8, 9, 10, 11, 12, 13, 14, 15}), 1e-12);
        assertEquals(1, DriftDetector.pValue(0, 100, 100), 0);
        // Kolmogorov's distribution: P(sqrt(n) D > 1.358) = 0.05
        assertEquals(0.05, DriftDetector.pValue(1.358 / Math.sqrt(1e6), 1_000_000_000, 1_000_000_000 / 999), 0.002);
        // PSI of equal shares is 0; of a shift from 50/50 to 90/10 it is 0.4 ln 9 + ... (the textbook sum)
        assertEquals(0, DriftDetector.psi(new double[] {0.5, 0.5}, new double[] {0.5, 0.5}), 0);
        assertEquals((0.9 - 0.5) * Math.log(0.9 / 0.5) + (0.1 - 0.5) * Math.log(0.1 / 0.5),
                DriftDetector.psi(new double[] {0.9, 0.1}, new double[] {0.5, 0.5}), 1e-12);
    }
}
