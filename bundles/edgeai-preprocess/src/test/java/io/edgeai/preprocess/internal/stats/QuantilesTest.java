package io.edgeai.preprocess.internal.stats;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

/** Quantiles against values worked out by hand (type 7 interpolation, as numpy.quantile computes them). */
public class QuantilesTest {

    @Test
    public void handComputedQuantiles() {
        Quantiles q = new Quantiles();
        for (double v : new double[] {7, 1, 3, 5, 9}) { // sorted: 1 3 5 7 9
            q.add(v);
        }
        assertEquals(5, q.median(), 0);
        assertEquals(3, q.quantile(0.25), 0); // h = 4 * 0.25 = 1 -> 3
        assertEquals(7, q.quantile(0.75), 0);
        assertEquals(4, q.iqr(), 0);
        assertEquals(1, q.quantile(0), 0);
        assertEquals(9, q.quantile(1), 0);
        assertEquals(2.6, q.quantile(0.2), 1e-12); // h = 0.8 -> 1 + 0.8 * (3 - 1)
    }

    @Test
    public void evenCountInterpolates() {
        Quantiles q = new Quantiles();
        for (double v : new double[] {4, 1, 2, 3}) { // 1 2 3 4
            q.add(v);
        }
        assertEquals(2.5, q.median(), 0); // h = 1.5
        assertEquals(1.75, q.quantile(0.25), 0); // h = 0.75
        assertEquals(3.25, q.quantile(0.75), 0); // h = 2.25
    }

    @Test
    public void refusesOutOfRangeAndAnswersNaNWhenEmpty() {
        Quantiles q = new Quantiles();
        assertEquals(Double.NaN, q.median(), 0);
        assertThrows(IllegalArgumentException.class, () -> q.quantile(1.5));
    }
}
