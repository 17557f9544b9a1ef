package io.edgeai.monitoring.internal.drift;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Drift of one value (a model's input feature or output score) against its reference distribution (what the model
 * was trained on), over a sliding window of the newest values.
 *
 * <p>Two measures: the two-sample Kolmogorov-Smirnov statistic D (the largest gap between the window's and the
 * reference's cumulative distributions) with its p-value, which decides; and the Population Stability Index over ten
 * bins cut at the reference's deciles, which is reported (0.1-0.2 is commonly read as a moderate shift, above 0.2 as
 * a large one). The window drifts when the KS p-value falls below {@code alpha}, and stops drifting when it rises
 * above {@code 10 × alpha} again (hysteresis, so that one borderline window does not flap).
 */
public final class DriftDetector {

    /** What the newest window says. */
    public record State(long samples, double ks, double pValue, double psi, boolean drifting, boolean changed) {
    }

    private static final int BINS = 10;

    private final double[] reference;
    private final double[] edges;
    private final double[] expected;
    private final int window;
    private final double alpha;
    private final int stride;
    private final ArrayDeque<Double> newest = new ArrayDeque<>();
    private long samples;
    private boolean drifting;
    private State last;

    /**
     * @param reference values of the reference distribution (at least 10)
     * @param window the newest values compared with it
     * @param alpha the KS p-value below which the window drifts
     */
    public DriftDetector(double[] reference, int window, double alpha) {
        this(reference, window, alpha, 1);
    }

    /**
     * @param reference values of the reference distribution (at least 10)
     * @param window the newest values compared with it
     * @param alpha the KS p-value below which the window drifts
     * @param stride compare every {@code stride}-th value (and the one that fills the window): the cost divided by
     *     the stride, a drift seen at most {@code stride - 1} values later
     */
    public DriftDetector(double[] reference, int window, double alpha, int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("drift: a stride of at least 1 (got " + stride + ")");
        }
        this.stride = stride;
        if (reference.length < BINS || window < 10 || !(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("drift: at least " + BINS + " reference values, a window of 10 or"
                    + " more and 0 < alpha < 1 (got " + reference.length + ", " + window + ", " + alpha + ")");
        }
        this.reference = reference.clone();
        Arrays.sort(this.reference);
        this.window = window;
        this.alpha = alpha;
        this.edges = new double[BINS - 1];
        for (int i = 1; i < BINS; i++) {
            edges[i - 1] = quantile(this.reference, i / (double) BINS);
        }
        this.expected = proportions(this.reference);
    }

    /**
     * Adds the newest value; the state of the window once it is full (before: not drifting, NaN measures). Between
     * two comparisons (see the stride) the last comparison's state, with the count of values, unchanged.
     */
    public State add(double value) {
        samples++;
        newest.addLast(value);
        if (newest.size() > window) {
            newest.removeFirst();
        }
        if (newest.size() < window) {
            return new State(samples, Double.NaN, Double.NaN, Double.NaN, false, false);
        }
        if (last != null && (samples - window) % stride != 0) {
            return new State(samples, last.ks(), last.pValue(), last.psi(), drifting, false);
        }
        double[] live = new double[window];
        int i = 0;
        for (double v : newest) {
            live[i++] = v;
        }
        Arrays.sort(live);
        double d = ks(live, reference);
        double p = pValue(d, live.length, reference.length);
        double psi = psi(proportions(live), expected);
        boolean before = drifting;
        if (!drifting && p < alpha) {
            drifting = true;
        } else if (drifting && p > 10 * alpha) {
            drifting = false;
        }
        last = new State(samples, d, p, psi, drifting, drifting != before);
        return last;
    }

    /** The two-sample KS statistic of two sorted samples. */
    static double ks(double[] a, double[] b) {
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < a.length && j < b.length) {
            double x = Math.min(a[i], b[j]);
            while (i < a.length && a[i] <= x) {
                i++;
            }
            while (j < b.length && b[j] <= x) {
                j++;
            }
            d = Math.max(d, Math.abs(i / (double) a.length - j / (double) b.length));
        }
        return d;
    }

    /** The asymptotic p-value of D for samples of n and m values (Kolmogorov's distribution, Stephens' correction). */
    static double pValue(double d, int n, int m) {
        double ne = n * (double) m / (n + m);
        double lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
        if (lambda < 0.2) {
            return 1;
        }
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-12) {
                break;
            }
        }
        return Math.max(0, Math.min(1, 2 * sum));
    }

    private double[] proportions(double[] sorted) {
        double[] share = new double[BINS];
        for (double v : sorted) {
            int bin = 0;
            while (bin < edges.length && v > edges[bin]) {
                bin++;
            }
            share[bin]++;
        }
        for (int b = 0; b < BINS; b++) {
            share[b] /= sorted.length;
        }
        return share;
    }

    /** PSI = Σ (live − expected) · ln(live / expected), empty bins counted as 0.0001. */
    static double psi(double[] live, double[] expected) {
        double psi = 0;
        for (int b = 0; b < live.length; b++) {
            double a = Math.max(live[b], 1e-4);
            double e = Math.max(expected[b], 1e-4);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** Type-7 quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
