package io.edgeai.anomaly.internal.detect;

import java.util.Arrays;

/**
 * Turns one detector's raw measures into tail probabilities against the stream's own recent measures: how often a
 * measure at least this large came in the newest {@code capacity} readings. Below the 90th percentile that is the
 * empirical share; above it an exponential tail fitted to the measures over that percentile (peaks over a
 * threshold), so that a reading far beyond anything seen gets a probability far below 1 / capacity. The same
 * probability means the same on every stream, whatever its units, noise or detector. The reference is kept sorted as
 * measures come and go (a binary search and an array move each), and the tail's scale is fitted again only when a
 * measure beyond the threshold is asked about after the reference changed.
 */
final class TailCalibration {

    private static final double TAIL = 0.10;
    /** Measures above this quantile count at it in the tail's scale: one huge earlier anomaly must not flatten it. */
    private static final double CAP = 0.99;

    private final Ring measures;
    private final int minimum;
    private final double[] sorted;
    private int n;
    private double meanExcess = Double.NaN;

    TailCalibration(int capacity, int minimum) {
        this.measures = new Ring(capacity);
        this.minimum = minimum;
        this.sorted = new double[capacity];
    }

    /** True once enough measures came to say how rare a new one is. */
    boolean ready() {
        return n >= minimum;
    }

    int size() {
        return n;
    }

    /** The probability of a measure at least {@code raw} under the stream's normal behaviour; NaN before ready. */
    double tail(double raw) {
        if (!ready() || Double.isNaN(raw)) {
            return Double.NaN;
        }
        double threshold = threshold();
        if (raw <= threshold) {
            int below = lowerBound(raw);
            return (double) (n - below + 1) / (n + 1);
        }
        if (Double.isNaN(meanExcess)) {
            fit(threshold);
        }
        double over = (double) (n - upperBound(threshold)) / (n + 1);
        return Math.min(TAIL, Math.max(over, 1.0 / (n + 1))) * Math.exp(-(raw - threshold) / meanExcess);
    }

    /** A reading's measure joins the reference (the oldest leaves once it is full). */
    void admit(double raw) {
        if (Double.isNaN(raw) || Double.isInfinite(raw)) {
            return;
        }
        if (measures.size() == measures.capacity()) {
            double oldest = measures.back(measures.size() - 1);
            int at = lowerBound(oldest);
            System.arraycopy(sorted, at + 1, sorted, at, n - at - 1);
            n--;
        }
        measures.add(raw);
        int at = lowerBound(raw);
        System.arraycopy(sorted, at, sorted, at + 1, n - at);
        sorted[at] = raw;
        n++;
        meanExcess = Double.NaN;
    }

    private double threshold() {
        return sorted[Math.min(n - 1, (int) Math.floor((1 - TAIL) * (n - 1)))];
    }

    /**
     * The tail's scale: the mean excess over the threshold, the largest 1% of all measures capped at the 99th
     * percentile; never below a quarter of the threshold's distance from the median.
     */
    private void fit(double threshold) {
        double median = sorted[(n - 1) / 2];
        double floor = Math.max(1e-9, Math.max(0.25 * (threshold - median), 0.01 * Math.abs(threshold)));
        double cap = sorted[Math.min(n - 1, (int) Math.floor(CAP * (n - 1)))];
        int from = upperBound(threshold);
        double excess = 0;
        for (int i = from; i < n; i++) {
            excess += Math.min(sorted[i], cap) - threshold;
        }
        meanExcess = Math.max(from == n ? 0 : excess / (n - from), floor);
    }

    /** The index of the first held measure >= {@code value}. */
    private int lowerBound(double value) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The index of the first held measure > {@code value}. */
    private int upperBound(double value) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public String toString() {
        return "TailCalibration" + Arrays.toString(Arrays.copyOf(sorted, Math.min(n, 8))) + "... (" + n + ")";
    }
}
