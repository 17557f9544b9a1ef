package io.edgeai.anomaly.internal.detect;

/** The newest values of a stream, at most {@code capacity}, oldest first. */
final class Ring {

    private final double[] values;
    private int next;
    private int size;

    Ring(int capacity) {
        this.values = new double[capacity];
    }

    void add(double value) {
        values[next] = value;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    int size() {
        return size;
    }

    int capacity() {
        return values.length;
    }

    /** The value {@code back} places before the newest (0: the newest; {@code back} under the capacity). */
    double back(int back) {
        int at = next - 1 - back;
        return values[at < 0 ? at + values.length : at];
    }

    /** The newest {@code count} values (fewer when fewer are held), oldest first, in {@code into} from 0. */
    int newest(int count, double[] into) {
        int n = Math.min(count, size);
        for (int i = 0; i < n; i++) {
            into[i] = back(n - 1 - i);
        }
        return n;
    }

    /** Median of the first {@code n} values of {@code sorted} (sorted ascending). */
    static double median(double[] sorted, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        return (n & 1) == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
