package io.edgeai.anomaly.internal.detect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.Test;

/** The window's order statistics are exactly what sorting its newest values gives. */
public class SortedWindowTest {

    @Test
    public void medianAndMadAreThoseOfTheSortedNewestValues() {
        Random random = new Random(7);
        for (int capacity : new int[] {1, 2, 5, 16, 64, 128}) {
            SortedWindow window = new SortedWindow(capacity);
            double[] all = new double[3000];
            for (int i = 0; i < all.length; i++) {
                // ties, steps, outliers and a constant stretch, as streams have them
                all[i] = i % 500 < 40 ? 3.0 : random.nextInt(4) == 0 ? Math.rint(random.nextGaussian() * 3)
                        : random.nextGaussian() * (i % 700 < 350 ? 1 : 1e-3) + (i / 1000) * 50;
                window.add(all[i]);
                double[] newest = Arrays.copyOfRange(all, Math.max(0, i + 1 - capacity), i + 1);
                Arrays.sort(newest);
                int n = newest.length;
                assertEquals(n, window.size());
                double median = (n & 1) == 1 ? newest[n / 2] : 0.5 * (newest[n / 2 - 1] + newest[n / 2]);
                double[] deviations = new double[n];
                for (int j = 0; j < n; j++) {
                    deviations[j] = Math.abs(newest[j] - median);
                }
                Arrays.sort(deviations);
                double mad = (n & 1) == 1 ? deviations[n / 2] : 0.5 * (deviations[n / 2 - 1] + deviations[n / 2]);
                assertEquals("median, capacity " + capacity + " at " + i, median, window.median(), 0);
                assertEquals("MAD, capacity " + capacity + " at " + i, mad, window.mad(window.median()), 0);
                assertEquals(newest[0], window.get(0), 0);
                assertEquals(newest[n - 1], window.get(n - 1), 0);
            }
        }
    }

    @Test
    public void ranksAndValuesThatAreNotNumbers() {
        SortedWindow window = new SortedWindow(4);
        assertTrue(Double.isNaN(window.median()));
        assertTrue(Double.isNaN(window.mad(0)));
        for (double value : new double[] {5, 1, Double.NaN, 3, Double.POSITIVE_INFINITY, 3, 9}) {
            window.add(value);
        }
        // the four newest finite values: 1, 3, 3, 9
        assertEquals(4, window.size());
        assertEquals(1, window.lowerBound(3));
        assertEquals(3, window.upperBound(3));
        assertEquals(3, window.median(), 0);
        assertEquals(1, window.mad(3), 0);
    }
}
