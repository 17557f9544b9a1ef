package io.edgeai.preprocess.internal.stats;

import java.util.Arrays;

/**
 * Exact quantiles of the values seen while fitting (kept in memory: fitting runs on a bounded training set), by
 * linear interpolation between order statistics (Hyndman and Fan type 7, as NumPy and R compute them by default).
 */
public final class Quantiles {

    private double[] values = new double[1024];
    private int count;
    private boolean sorted = true;

    public void add(double x) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = x;
        sorted = false;
    }

    public int count() {
        return count;
    }

    /** The p-quantile, p in [0, 1]; NaN when nothing was seen. */
    public double quantile(double p) {
        if (p < 0 || p > 1 || Double.isNaN(p)) {
            throw new IllegalArgumentException("quantile " + p + " is not in [0, 1]");
        }
        if (count == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(values, 0, count);
            sorted = true;
        }
        double h = (count - 1) * p;
        int lower = (int) Math.floor(h);
        int upper = Math.min(lower + 1, count - 1);
        return values[lower] + (h - lower) * (values[upper] - values[lower]);
    }

    public double median() {
        return quantile(0.5);
    }

    /** Interquartile range: q(0.75) - q(0.25). */
    public double iqr() {
        return quantile(0.75) - quantile(0.25);
    }
}
