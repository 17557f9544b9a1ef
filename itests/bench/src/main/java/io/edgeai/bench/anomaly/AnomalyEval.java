package io.edgeai.bench.anomaly;

import io.edgeai.anomaly.internal.detect.DetectorSettings;
import io.edgeai.anomaly.internal.detect.Episodes;
import io.edgeai.anomaly.internal.detect.StreamScorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Scores anomaly detectors on the labelled corpus with the NAB rules ({@link NabScorer}) and per-episode precision and
 * recall: the anomaly watch's detectors at the shipped threshold beside a windowed Gaussian and a random detector,
 * both at the threshold that suits them best on this corpus (an upper bound for them).
 *
 * <pre>java ... io.edgeai.bench.anomaly.AnomalyEval [first seed] [seeds] [gateway URL [live]]</pre>
 * (defaults 1 and 4: the corpus is built with each seed and scored as one). With a gateway's URL (e.g.
 * {@code http://127.0.0.1:8181}) each series is also streamed through it ({@code POST
 * /api/v1/anomaly/{deviceId}/replay}) and scored from its answers, beside the in-process run; with {@code live} also
 * sent reading by reading as devices do ({@link GatewayLive}: the path on which a learned forecaster takes part).
 */
public final class AnomalyEval {

    /** A detector: the readings of a series at which it alerts. */
    interface Detector {
        boolean[] alerts(LabelledSeries series);
    }

    private AnomalyEval() {
    }

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<LabelledSeries> corpus = new ArrayList<>();
        for (long s = seed; s < seed + seeds; s++) {
            corpus.addAll(Corpus.build(s));
        }
        long readings = corpus.stream().mapToLong(LabelledSeries::length).sum();
        long anomalies = corpus.stream().mapToLong(s -> s.anomalies().size()).sum();
        System.out.printf(Locale.ROOT, "corpus (seeds %d-%d): %d series, %d readings, %d labelled anomalies%n", seed,
                seed + seeds - 1, corpus.size(), readings, anomalies);
        Map<String, Detector> detectors = new LinkedHashMap<>();
        detectors.put("anomaly watch (shipped)", AnomalyEval::watch);
        if (args.length > 2) {
            GatewayReplay gateway = new GatewayReplay(args[2]);
            detectors.put("anomaly watch (gateway)", gateway::alerts);
        }
        if (args.length > 3 && args[3].equals("live")) {
            GatewayLive live = new GatewayLive(args[2]);
            detectors.put("anomaly watch (live)", live::alerts);
        }
        detectors.put("windowed Gaussian (best)", best(corpus, t -> s -> gaussian(s, t),
                new double[] {0.99, 0.999, 0.9999, 0.99999, 0.999999}));
        detectors.put("random (best)", best(corpus, q -> s -> random(s, q, seed),
                new double[] {0.0005, 0.001, 0.002, 0.005, 0.01}));
        System.out.printf(Locale.ROOT, "%-26s %8s %8s %8s %6s %6s %6s %8s %9s%n", "detector", "standard", "low FP",
                "low FN", "prec", "recall", "F1", "alerts/ep", "FA/1000");
        Map<String, Double> standard = new LinkedHashMap<>();
        Map<String, Map<String, int[]>> kinds = new LinkedHashMap<>();
        for (Map.Entry<String, Detector> entry : detectors.entrySet()) {
            List<boolean[]> alerts = new ArrayList<>();
            for (LabelledSeries series : corpus) {
                alerts.add(entry.getValue().alerts(series));
            }
            double[] scores = new double[NabScorer.PROFILES.size()];
            NabScorer.Totals counts = null;
            for (int p = 0; p < scores.length; p++) {
                NabScorer.Totals totals = new NabScorer.Totals();
                for (int i = 0; i < corpus.size(); i++) {
                    NabScorer.score(corpus.get(i), alerts.get(i), NabScorer.PROFILES.get(p), totals);
                }
                scores[p] = totals.normalised();
                counts = totals;
            }
            double precision = counts.detected / (double) Math.max(1, counts.detected + counts.falseAlerts);
            double recall = counts.detected / (double) Math.max(1, counts.windows);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            standard.put(entry.getKey(), scores[0]);
            System.out.printf(Locale.ROOT, "%-26s %8.1f %8.1f %8.1f %6.2f %6.2f %6.2f %8.2f %9.2f%n", entry.getKey(),
                    scores[0], scores[1], scores[2], precision, recall, f1,
                    counts.alertsInWindows / (double) Math.max(1, counts.detected),
                    1000.0 * counts.falseAlerts / Math.max(1, counts.normalReadings));
            kinds.put(entry.getKey(), counts.kinds);
        }
        System.out.println("episodes detected by kind:");
        kinds.forEach((name, tallies) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-26s", name));
            tallies.forEach((kind, t) -> line.append(String.format(Locale.ROOT, " %s %d/%d", kind, t[0], t[1])));
            System.out.println(line);
        });
        GatewayReplay.report();
        GatewayLive.report();
        double watch = standard.get("anomaly watch (shipped)");
        System.out.printf(Locale.ROOT, "standard profile, watch / windowed Gaussian: %.2f; watch / random: %.2f%n",
                watch / standard.get("windowed Gaussian (best)"), watch / Math.max(1e-9, standard.get("random (best)")));
        cost(corpus);
    }

    /**
     * What the watch costs per reading in process: the corpus scored again (warm), timed, three times; the median.
     * Prints the mean number of values per reading beside it (each value has its own detectors).
     */
    private static void cost(List<LabelledSeries> corpus) {
        long readings = 0;
        long values = 0;
        for (LabelledSeries series : corpus) {
            readings += series.length();
            values += (long) series.length() * series.names().size();
        }
        long[] nanos = new long[3];
        for (int pass = 0; pass < nanos.length; pass++) {
            long start = System.nanoTime();
            for (LabelledSeries series : corpus) {
                watch(series);
            }
            nanos[pass] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "anomaly watch in process: %.1f µs per reading (%.2f values each; median of %d"
                + " timed passes over the corpus, %d cores)%n", nanos[1] / 1e3 / readings, values / (double) readings,
                nanos.length, Runtime.getRuntime().availableProcessors());
    }

    /** The detector among those made with each setting that scores best on the standard profile. */
    private static Detector best(List<LabelledSeries> corpus, Function<Double, Detector> make, double[] settings) {
        Detector best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (double setting : settings) {
            Detector candidate = make.apply(setting);
            NabScorer.Totals totals = new NabScorer.Totals();
            for (LabelledSeries series : corpus) {
                NabScorer.score(series, candidate.alerts(series), NabScorer.STANDARD, totals);
            }
            if (totals.normalised() > bestScore) {
                bestScore = totals.normalised();
                best = candidate;
            }
        }
        return best;
    }

    /** The watch's statistical detectors and episodes, in process, as the gateway runs them per reading. */
    static boolean[] watch(LabelledSeries series) {
        StreamScorer scorer = new StreamScorer(series.names(), DetectorSettings.DEFAULTS);
        Episodes episodes = new Episodes(0.5, 0.2, 40);
        boolean[] alerts = new boolean[series.length()];
        for (int i = 0; i < series.length(); i++) {
            StreamScorer.Score score = scorer.score(series.values()[i], series.millis()[i], Map.of());
            Episodes.Step step = episodes.next(score.score());
            alerts[i] = step.alert();
        }
        return alerts;
    }

    /**
     * NAB's windowed Gaussian: the tail probability of each value against the mean and standard deviation of the
     * readings before it (up to 6,400), alerting at the start of each run of readings over {@code threshold}.
     */
    static boolean[] gaussian(LabelledSeries series, double threshold) {
        int n = series.length();
        int values = series.names().size();
        boolean[] alerts = new boolean[n];
        int window = 6400;
        double[] sum = new double[values];
        double[] squares = new double[values];
        boolean flagged = false;
        for (int i = 0; i < n; i++) {
            double likelihood = 0;
            int held = Math.min(i, window);
            for (int v = 0; v < values; v++) {
                double x = series.values()[i][v];
                if (held >= 10) {
                    double mean = sum[v] / held;
                    double sd = Math.sqrt(Math.max(1e-18, squares[v] / held - mean * mean));
                    likelihood = Math.max(likelihood, 1 - 2 * upperTail(Math.abs(x - mean) / sd));
                }
                sum[v] += x;
                squares[v] += x * x;
                if (i >= window) {
                    double old = series.values()[i - window][v];
                    sum[v] -= old;
                    squares[v] -= old * old;
                }
            }
            boolean over = likelihood >= threshold;
            alerts[i] = over && !flagged;
            flagged = over;
        }
        return alerts;
    }

    /** A detector alerting at random, with probability {@code rate} per reading. */
    static boolean[] random(LabelledSeries series, double rate, long seed) {
        Random random = new Random(seed ^ series.name().hashCode());
        boolean[] alerts = new boolean[series.length()];
        for (int i = 0; i < alerts.length; i++) {
            alerts[i] = random.nextDouble() < rate;
        }
        return alerts;
    }

    /** P(Z > z) of a standard normal (Abramowitz and Stegun 7.1.26 through erfc). */
    static double upperTail(double z) {
        double x = z / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429)))) * Math.exp(-x * x);
        return 0.5 * erfc;
    }
}
