package io.edgeai.anomaly.internal.detect;

/**
 * The newest {@code capacity} values of a stream kept in ascending order as they come and go (a binary search and an
 * array move each), so that a median, a median absolute deviation or a rank costs no sort: the order statistics the
 * detectors take at every reading. Finite values only; others are left out.
 */
final class SortedWindow {

    private final Ring arrivals;
    private final double[] sorted;
    private int n;

    SortedWindow(int capacity) {
        this.arrivals = new Ring(capacity);
        this.sorted = new double[capacity];
    }

    /** The value joins the window; the oldest leaves once it is full. */
    void add(double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        if (n == sorted.length) {
            int at = lowerBound(arrivals.back(n - 1));
            System.arraycopy(sorted, at + 1, sorted, at, n - at - 1);
            n--;
        }
        arrivals.add(value);
        int at = lowerBound(value);
        System.arraycopy(sorted, at, sorted, at + 1, n - at);
        sorted[at] = value;
        n++;
    }

    int size() {
        return n;
    }

    /** The {@code index}-th value held in the order they came (0: the oldest). */
    double arrival(int index) {
        return arrivals.back(n - 1 - index);
    }

    /** The {@code rank}-th smallest value held (0: the smallest). */
    double get(int rank) {
        return sorted[rank];
    }

    /** The median of the values held; NaN when none is. */
    double median() {
        return Ring.median(sorted, n);
    }

    /**
     * The median of the values' absolute deviations from {@code median} (the window's median): the deviations of the
     * values below it, read down from it, and of those above, read up, are two ascending runs, merged here up to their
     * middle. The same figure as sorting the deviations.
     */
    double mad(double median) {
        if (n == 0) {
            return Double.NaN;
        }
        int below = lowerBound(median) - 1;
        int above = below + 1;
        double previous = Double.NaN;
        double current = Double.NaN;
        for (int k = 0; k <= n / 2; k++) {
            previous = current;
            double down = below >= 0 ? median - sorted[below] : Double.POSITIVE_INFINITY;
            double up = above < n ? sorted[above] - median : Double.POSITIVE_INFINITY;
            if (down <= up) {
                current = down;
                below--;
            } else {
                current = up;
                above++;
            }
        }
        return (n & 1) == 1 ? current : 0.5 * (previous + current);
    }

    /** The index of the first value held that is >= {@code value}. */
    int lowerBound(double value) {
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

    /** The index of the first value held that is > {@code value}. */
    int upperBound(double value) {
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
        StringBuilder text = new StringBuilder("SortedWindow[");
        for (int i = 0; i < Math.min(n, 8); i++) {
            text.append(i == 0 ? "" : ", ").append(sorted[i]);
        }
        return text.append(n > 8 ? ", ..." : "").append("] (").append(n).append(')').toString();
    }
}
