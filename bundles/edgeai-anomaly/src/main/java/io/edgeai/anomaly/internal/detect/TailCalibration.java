package io.edgeai.anomaly.internal.detect;

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

    private final SortedWindow sorted;
    private final int minimum;
    private double meanExcess = Double.NaN;

    TailCalibration(int capacity, int minimum) {
        this.sorted = new SortedWindow(capacity);
        this.minimum = minimum;
    }

    /** True once enough measures came to say how rare a new one is. */
    boolean ready() {
        return sorted.size() >= minimum;
    }

    int size() {
        return sorted.size();
    }

    /** The probability of a measure at least {@code raw} under the stream's normal behaviour; NaN before ready. */
    double tail(double raw) {
        if (!ready() || Double.isNaN(raw)) {
            return Double.NaN;
        }
        int n = sorted.size();
        double threshold = threshold();
        if (raw <= threshold) {
            int below = sorted.lowerBound(raw);
            return (double) (n - below + 1) / (n + 1);
        }
        if (Double.isNaN(meanExcess)) {
            fit(threshold);
        }
        double over = (double) (n - sorted.upperBound(threshold)) / (n + 1);
        return Math.min(TAIL, Math.max(over, 1.0 / (n + 1))) * Math.exp(-(raw - threshold) / meanExcess);
    }

    /** A reading's measure joins the reference (the oldest leaves once it is full). */
    void admit(double raw) {
        if (Double.isNaN(raw) || Double.isInfinite(raw)) {
            return;
        }
        sorted.add(raw);
        meanExcess = Double.NaN;
    }

    private double threshold() {
        int n = sorted.size();
        return sorted.get(Math.min(n - 1, (int) Math.floor((1 - TAIL) * (n - 1))));
    }

    /**
     * The tail's scale: the mean excess over the threshold, the largest 1% of all measures capped at the 99th
     * percentile; never below a quarter of the threshold's distance from the median.
     */
    private void fit(double threshold) {
        int n = sorted.size();
        double median = sorted.get((n - 1) / 2);
        double floor = Math.max(1e-9, Math.max(0.25 * (threshold - median), 0.01 * Math.abs(threshold)));
        double cap = sorted.get(Math.min(n - 1, (int) Math.floor(CAP * (n - 1))));
        int from = sorted.upperBound(threshold);
        double excess = 0;
        for (int i = from; i < n; i++) {
            excess += Math.min(sorted.get(i), cap) - threshold;
        }
        meanExcess = Math.max(from == n ? 0 : excess / (n - from), floor);
    }

    @Override
    public String toString() {
        return "TailCalibration" + sorted;
    }
}
