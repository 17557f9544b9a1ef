package io.edgeai.anomaly.internal.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream's detectors combined into one calibrated score. Each detector's raw measure (the largest over the
 * stream's values) becomes a tail probability against its own recent measures ({@link TailCalibration}); the
 * combination is the smallest of them times the number of detectors that scored (Bonferroni: still a probability
 * under normal behaviour), and the score is its negative decimal logarithm over {@value #DECADES}, within [0, 1]: 0.5
 * is a reading as rare as one in 10,000 on any stream, 1 one in 10^8 or rarer. Detectors of other kinds (a learned
 * forecaster) join with raw measures of their own, calibrated alike.
 * <p>
 * Every reading's measures join the calibration, anomalous ones too: a pattern that recurs is the stream's normal,
 * while one anomaly moves a reference of {@code calibration} measures by one, and the tail's scale is robust to it.
 */
public final class StreamScorer {

    /** Decimal orders of magnitude of rarity that span the score from 0 to 1. */
    public static final double DECADES = 8;

    /**
     * What a reading scored.
     *
     * @param score in [0, 1]; NaN before the stream has enough readings
     * @param tail the combined tail probability (1 for an ordinary reading, NaN when not scored)
     * @param detector the detector that found the reading rarest (null when not scored)
     * @param value the value it found rarest (null when not scored)
     * @param expected each value's expected level (the median before it, or at its hour of the day)
     * @param needed readings still to come before the first scored one (0 once scored)
     * @param measures each value's raw measure by each detector (in {@link ValueDetectors#NAMES}' order), for
     *     {@link #contributions}
     */
    public record Score(double score, double tail, String detector, String value, double[] expected, int needed,
            double[][] measures) {

        public boolean scored() {
            return !Double.isNaN(score);
        }
    }

    private final List<String> names;
    private final DetectorSettings settings;
    private final ValueDetectors[] values;
    private final Map<String, TailCalibration> calibrations = new LinkedHashMap<>();
    private long readings;

    public StreamScorer(List<String> names, DetectorSettings settings) {
        this.names = List.copyOf(names);
        this.settings = settings;
        this.values = new ValueDetectors[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = new ValueDetectors(settings);
        }
        for (String detector : ValueDetectors.NAMES) {
            calibrations.put(detector, new TailCalibration(settings.calibration(), settings.minCalibration()));
        }
    }

    public List<String> names() {
        return names;
    }

    /**
     * Scores a reading's values (in the order of {@link #names}) at {@code millis}, with raw measures of other detectors
     * by name (NaN or absent when they have none for it); the values join the detectors' history and the measures their
     * calibration.
     */
    public Score score(double[] x, long millis, Map<String, Double> others) {
        return score(x, millis, others, true);
    }

    /**
     * A reading the stream saw before the watch last stopped, run through the detectors again to take the stream up;
     * with {@code seasonsRestored} its daily and weekly cycles, restored with {@link #restoreSeasons}, hold it already.
     */
    public Score history(double[] x, long millis, boolean seasonsRestored) {
        return score(x, millis, Map.of(), !seasonsRestored);
    }

    /** Each value's daily and weekly cycles as they stand (value name, then {@code day} or {@code week}). */
    public Map<String, Map<String, SeasonState>> seasons() {
        Map<String, Map<String, SeasonState>> saved = new LinkedHashMap<>();
        for (int v = 0; v < values.length; v++) {
            saved.put(names.get(v), values[v].seasons());
        }
        return saved;
    }

    /**
     * Takes up the cycles {@link #seasons} wrote, before this scorer's first reading: every value's or none (false:
     * then the cycles learn again from the readings, as before the watch stopped).
     */
    public boolean restoreSeasons(Map<String, Map<String, SeasonState>> saved) {
        if (readings > 0 || saved == null) {
            return false;
        }
        for (int v = 0; v < values.length; v++) {
            if (!values[v].acceptsSeasons(saved.get(names.get(v)))) {
                return false;
            }
        }
        for (int v = 0; v < values.length; v++) {
            values[v].restoreSeasons(saved.get(names.get(v)));
        }
        return true;
    }

    private Score score(double[] x, long millis, Map<String, Double> others, boolean seasons) {
        readings++;
        double[] expected = new double[values.length];
        double[][] measures = new double[values.length][];
        Map<String, Double> raw = new LinkedHashMap<>();
        Map<String, String> argmax = new LinkedHashMap<>();
        for (int v = 0; v < values.length; v++) {
            double[] measured = values[v].measure(x[v], millis, seasons);
            measures[v] = measured;
            expected[v] = values[v].expected();
            for (int d = 0; d < measured.length; d++) {
                String detector = ValueDetectors.NAMES[d];
                double previous = raw.getOrDefault(detector, Double.NaN);
                if (!Double.isNaN(measured[d]) && (Double.isNaN(previous) || measured[d] > previous)) {
                    raw.put(detector, measured[d]);
                    argmax.put(detector, names.get(v));
                }
            }
        }
        others.forEach((detector, measure) -> {
            raw.put(detector, measure);
            calibrations.computeIfAbsent(detector, d -> new TailCalibration(settings.calibration(),
                    settings.minCalibration()));
        });
        double smallest = Double.NaN;
        String rarest = null;
        int scoring = 0;
        for (Map.Entry<String, Double> measure : raw.entrySet()) {
            double p = calibrations.get(measure.getKey()).tail(measure.getValue());
            if (Double.isNaN(p)) {
                continue;
            }
            scoring++;
            if (Double.isNaN(smallest) || p < smallest) {
                smallest = p;
                rarest = measure.getKey();
            }
        }
        raw.forEach((detector, measure) -> calibrations.get(detector).admit(measure));
        if (scoring == 0) {
            int needed = (int) Math.max(1, settings.firstScore() - readings);
            return new Score(Double.NaN, Double.NaN, null, null, expected, needed, measures);
        }
        double tail = Math.min(1, smallest * scoring);
        double score = Math.min(1, Math.max(0, -Math.log10(Math.max(tail, 1e-300)) / DECADES));
        return new Score(score, tail, rarest, argmax.getOrDefault(rarest, names.isEmpty() ? null : names.get(0)),
                expected, 0, measures);
    }

    /**
     * Which values drove a reading's score, and by how much: each value's rarity in decades (-log10 of the smallest
     * tail probability any detector gives its own measure), largest first, the values that were not unusual at all (a
     * tail of 1) left out. For a multivariate stream the first is the value to look at.
     */
    public Map<String, Double> contributions(Score score) {
        List<Map.Entry<String, Double>> rarity = new java.util.ArrayList<>();
        for (int v = 0; v < score.measures().length; v++) {
            double smallest = 1;
            double[] measured = score.measures()[v];
            for (int d = 0; d < measured.length; d++) {
                double p = calibrations.get(ValueDetectors.NAMES[d]).tail(measured[d]);
                if (!Double.isNaN(p)) {
                    smallest = Math.min(smallest, p);
                }
            }
            double decades = -Math.log10(Math.max(smallest, 1e-300));
            if (decades > 0) {
                rarity.add(Map.entry(names.get(v), Math.round(decades * 1000) / 1000.0));
            }
        }
        rarity.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        Map<String, Double> ordered = new LinkedHashMap<>();
        rarity.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /** Readings scored or kept so far. */
    public long readings() {
        return readings;
    }
}
