package io.edgeai.preprocess.internal.stats;

import java.util.Map;

/**
 * Count, mean, variance, minimum and maximum of a stream of values in one pass, numerically stable: Welford's update
 * (no sum of squares for large offsets to wipe out) on the values shifted by the first one, so that a stream around
 * 1e9 is summed as small deviations whose rounding stays small. Two of them merge as if they had seen both streams
 * (Chan et al.), so statistics gathered in parts add up.
 */
public final class RunningStats {

    private long count;
    /** The first value seen; the running mean and m2 are of (x - shift). */
    private double shift;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    /** Adds a finite value; others are the caller's to refuse. */
    public void add(double x) {
        if (count == 0) {
            shift = x;
        }
        count++;
        double y = x - shift;
        double delta = y - mean;
        mean += delta / count;
        m2 += delta * (y - mean);
        if (x < min) {
            min = x;
        }
        if (x > max) {
            max = x;
        }
    }

    /** Folds in what another instance saw. */
    public void merge(RunningStats other) {
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            count = other.count;
            shift = other.shift;
            mean = other.mean;
            m2 = other.m2;
            min = other.min;
            max = other.max;
            return;
        }
        long n = count + other.count;
        // the other's mean on this one's shift: (other.shift - shift) is small when both saw the same kind of data
        double delta = (other.shift - shift) + other.mean - mean;
        mean += delta * other.count / n;
        m2 += other.m2 + delta * delta * ((double) count * other.count / n);
        count = n;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    public double mean() {
        return count == 0 ? Double.NaN : shift + mean;
    }

    /** The population variance (divides by n), as a scaler uses it. */
    public double variance() {
        return count == 0 ? Double.NaN : m2 / count;
    }

    /** The sample variance (divides by n - 1). */
    public double sampleVariance() {
        return count < 2 ? Double.NaN : m2 / (count - 1);
    }

    public double std() {
        return Math.sqrt(variance());
    }

    public double min() {
        return count == 0 ? Double.NaN : min;
    }

    public double max() {
        return count == 0 ? Double.NaN : max;
    }

    /** The exact state, for persisting. */
    public Map<String, Object> state() {
        return Map.of("count", count, "shift", shift, "mean", mean, "m2", m2, "min", min, "max", max);
    }

    public static RunningStats of(Map<String, Object> state) {
        RunningStats stats = new RunningStats();
        stats.count = ((Number) state.get("count")).longValue();
        stats.shift = ((Number) state.get("shift")).doubleValue();
        stats.mean = ((Number) state.get("mean")).doubleValue();
        stats.m2 = ((Number) state.get("m2")).doubleValue();
        stats.min = ((Number) state.get("min")).doubleValue();
        stats.max = ((Number) state.get("max")).doubleValue();
        return stats;
    }
}
