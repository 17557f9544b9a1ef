package io.edgeai.bench.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The NAB scoring rules as published (Lavin and Ahmad, "Evaluating Real-time Anomaly Detection Algorithms - the
 * Numenta Anomaly Benchmark", 2015, and the benchmark's sweeper): each labelled anomaly gets a window of 10% of the
 * series' length divided by its number of anomalies, centred on the anomaly's start; the first 15% of a series is
 * probationary (detections there are not scored). The first detection inside a window earns the scaled sigmoid of its
 * relative position (earlier is better) times the profile's true-positive weight; later detections in the same window
 * earn nothing; a detection outside every window costs the false-positive weight (less right after a window, by the
 * same sigmoid); a window without a detection costs the false-negative weight. Totals over a corpus are normalised so
 * that a detector that never detects scores 0 and a perfect one 100.
 */
final class NabScorer {

    /** Weights of one application profile. */
    record Profile(String name, double tp, double fp, double fn) {
    }

    static final Profile STANDARD = new Profile("standard", 1.0, 0.11, 1.0);
    static final Profile LOW_FP = new Profile("low FP", 1.0, 0.22, 1.0);
    static final Profile LOW_FN = new Profile("low FN", 1.0, 0.11, 2.0);
    static final List<Profile> PROFILES = List.of(STANDARD, LOW_FP, LOW_FN);

    /** Raw totals of one detector over a corpus, for one profile. */
    static final class Totals {
        double raw;
        double perfect;
        double none;
        int windows;
        int detected;
        int alertsInWindows;
        int falseAlerts;
        long normalReadings;
        /** Per kind of anomaly (a multivariate one's value left out): detected and labelled windows. */
        final Map<String, int[]> kinds = new TreeMap<>();

        double normalised() {
            return 100 * (raw - none) / (perfect - none);
        }
    }

    private NabScorer() {
    }

    /** The windows {@code [from, to)} of a series' anomalies. */
    static List<int[]> windows(LabelledSeries series) {
        int n = series.length();
        List<int[]> windows = new ArrayList<>();
        if (series.anomalies().isEmpty()) {
            return windows;
        }
        int width = Math.max(1, (int) (0.1 * n / series.anomalies().size()));
        for (int[] anomaly : series.anomalies()) {
            int from = Math.max(0, anomaly[0] - width / 2);
            windows.add(new int[] {from, Math.min(n, from + width)});
        }
        return windows;
    }

    /** NAB's scaled sigmoid of a relative position (-1 at a window's start, 0 at its end, positive after it). */
    static double scaledSigmoid(double position) {
        if (position > 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * position)) - 1.0;
    }

    /** Adds one series' detections ({@code alerts[i]}: a detection at reading i) to the totals. */
    static void score(LabelledSeries series, boolean[] alerts, Profile profile, Totals totals) {
        int n = series.length();
        int probation = (int) Math.floor(0.15 * n);
        List<int[]> windows = windows(series);
        double maxTp = scaledSigmoid(-1.0);
        boolean[] hit = new boolean[windows.size()];
        double raw = 0;
        for (int i = probation; i < n; i++) {
            boolean inAnomaly = false;
            for (int[] a : series.anomalies()) {
                inAnomaly |= i >= a[0] && i < a[1];
            }
            int window = -1;
            int previous = -1;
            for (int w = 0; w < windows.size(); w++) {
                if (i >= windows.get(w)[0] && i < windows.get(w)[1]) {
                    window = w;
                } else if (windows.get(w)[1] <= i && (previous < 0 || windows.get(w)[1] > windows.get(previous)[1])) {
                    previous = w;
                }
            }
            if (window < 0 && !inAnomaly) {
                totals.normalReadings++;
            }
            if (!alerts[i]) {
                continue;
            }
            if (window >= 0) {
                totals.alertsInWindows++;
                if (!hit[window]) {
                    hit[window] = true;
                    int[] w = windows.get(window);
                    double position = -(w[1] - i) / (double) (w[1] - w[0]);
                    raw += scaledSigmoid(position) / maxTp * profile.tp();
                }
            } else {
                totals.falseAlerts++;
                double unweighted = -1.0;
                if (previous >= 0) {
                    int[] w = windows.get(previous);
                    unweighted = scaledSigmoid(Math.abs(i - (w[1] - 1)) / (double) Math.max(1, w[1] - w[0] - 1));
                }
                raw += unweighted * profile.fp();
            }
        }
        for (int w = 0; w < hit.length; w++) {
            String kind = series.kinds().get(w).replaceAll("\\(.*", "");
            int[] tally = totals.kinds.computeIfAbsent(kind, k -> new int[2]);
            tally[1]++;
            if (!hit[w]) {
                raw -= profile.fn();
            } else {
                totals.detected++;
                tally[0]++;
            }
        }
        totals.raw += raw;
        totals.windows += windows.size();
        totals.perfect += windows.size() * profile.tp();
        totals.none -= windows.size() * profile.fn();
    }
}
