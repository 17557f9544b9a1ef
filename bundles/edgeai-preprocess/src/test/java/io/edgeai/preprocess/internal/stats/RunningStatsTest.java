package io.edgeai.preprocess.internal.stats;

import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Test;

/** Welford against the two-pass computation, over a million values, with offsets that break the naive formula. */
public class RunningStatsTest {

    private static final int N = 1_000_000;

    @Test
    public void equalsTwoPassOverAMillionValuesWithLargeOffsets() {
        for (double offset : new double[] {0, 1e6, 1e9, -1e9, 1e12}) {
            double[] x = new double[N];
            Random random = new Random(42);
            for (int i = 0; i < N; i++) {
                x[i] = offset + random.nextGaussian() * 3.5 + Math.sin(i / 1000.0);
            }
            RunningStats stats = new RunningStats();
            for (double v : x) {
                stats.add(v);
            }
            double[] twoPass = twoPass(x);
            System.out.printf("offset %.0e: mean %.12g (two-pass %.12g), variance %.12g (two-pass %.12g)%n", offset,
                    stats.mean(), twoPass[0], stats.variance(), twoPass[1]);
            assertEquals("mean at offset " + offset, twoPass[0], stats.mean(), Math.abs(twoPass[0]) * 1e-12 + 1e-12);
            assertEquals("variance at offset " + offset, twoPass[1], stats.variance(), twoPass[1] * 1e-9);
            assertEquals(N, stats.count());
        }
    }

    @Test
    public void theNaiveSumOfSquaresWouldFailWhereWelfordHolds() {
        // the reason for Welford: at offset 1e9, E[x^2] - E[x]^2 loses every digit of a variance of ~12
        double[] x = new double[N];
        Random random = new Random(7);
        for (int i = 0; i < N; i++) {
            x[i] = 1e9 + random.nextGaussian() * 3.5;
        }
        double sum = 0;
        double sumSquares = 0;
        RunningStats stats = new RunningStats();
        for (double v : x) {
            sum += v;
            sumSquares += v * v;
            stats.add(v);
        }
        double naive = sumSquares / N - (sum / N) * (sum / N);
        double reference = twoPass(x)[1];
        assertEquals(reference, stats.variance(), reference * 1e-9);
        System.out.printf("variance at 1e9: two-pass %.10f, Welford %.10f, naive %.10f%n", reference,
                stats.variance(), naive);
        assertEquals("naive formula off by more than 1 %", true, Math.abs(naive - reference) > reference * 0.01);
    }

    @Test
    public void mergedPartsEqualOneStream() {
        Random random = new Random(3);
        RunningStats all = new RunningStats();
        RunningStats a = new RunningStats();
        RunningStats b = new RunningStats();
        for (int i = 0; i < 100_000; i++) {
            double v = 5e8 + random.nextGaussian();
            all.add(v);
            (i % 3 == 0 ? a : b).add(v);
        }
        a.merge(b);
        assertEquals(all.count(), a.count());
        assertEquals(all.mean(), a.mean(), 1e-6);
        assertEquals(all.variance(), a.variance(), all.variance() * 1e-9);
        assertEquals(all.min(), a.min(), 0);
        assertEquals(all.max(), a.max(), 0);
    }

    @Test
    public void stateRoundTripsExactly() {
        RunningStats stats = new RunningStats();
        for (double v : new double[] {1.5, -2.25, 1e300, 3}) {
            stats.add(v);
        }
        RunningStats back = RunningStats.of(stats.state());
        assertEquals(Double.doubleToLongBits(stats.mean()), Double.doubleToLongBits(back.mean()));
        assertEquals(Double.doubleToLongBits(stats.variance()), Double.doubleToLongBits(back.variance()));
    }

    @Test
    public void emptyAndSingleValues() {
        RunningStats stats = new RunningStats();
        assertEquals(Double.NaN, stats.mean(), 0);
        stats.add(4);
        assertEquals(4, stats.mean(), 0);
        assertEquals(0, stats.variance(), 0);
        assertEquals(Double.NaN, stats.sampleVariance(), 0);
    }

    /** Mean, then the mean of squared deviations: the textbook two-pass algorithm. */
    private static double[] twoPass(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double mean = sum / x.length;
        double squares = 0;
        double compensation = 0;
        for (double v : x) {
            squares += (v - mean) * (v - mean);
            compensation += v - mean;
        }
        // the corrected two-pass form (Chan, Golub, LeVeque): removes the rounding left in the mean
        return new double[] {mean, (squares - compensation * compensation / x.length) / x.length};
    }
}
