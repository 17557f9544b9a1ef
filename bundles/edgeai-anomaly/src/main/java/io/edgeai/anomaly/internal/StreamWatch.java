package io.edgeai.anomaly.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The anomaly watch's view of one device stream, independent of how models are trained and served.
 *
 * <p>A forecaster looks at the stream's last {@code window} readings (each value centred on its mean over those
 * readings and divided by the stream's typical step between two readings, so that it learns shapes, not levels) and
 * predicts the next reading. A reading's score is its largest error over the values, in units of the 99.9th percentile
 * of the errors the model made on its own training readings; above {@code thresholdFactor} it is an anomaly.
 *
 * <p>What the forecaster looks back on is the <em>cleaned</em> history: an anomalous value is kept minus the offset it
 * had from the forecast when the anomaly began. So a spike does not spoil the readings after it, and a level shift
 * stays visible for as long as it lasts (up to {@code acceptAfter} readings, after which it is the new normal). Readings
 * near an anomaly are left out of retraining, so the model keeps learning normal behaviour only.
 */
public final class StreamWatch {

    /** Answers forecasts: one row in, one normalized forecast per value out. */
    public interface Forecaster {
        float[] forecast(float[] row) throws Exception;
    }

    /** The rows a training learns from and the scales they were normalized with. */
    public record TrainingSet(float[][] inputs, float[][] targets, double[] scale) {
    }

    /** What one reading became. */
    public record Observation(Kind kind, double score, boolean anomaly, double[] expected, int needed) {
    }

    public enum Kind {
        /** Kept as history, not scored: no model yet, or too little history since the start. */
        LEARNING,
        /** Scored. */
        SCORED
    }

    private final List<String> features;
    private final WatchSettings settings;
    private final ArrayDeque<double[]> history = new ArrayDeque<>();
    private final ArrayDeque<Boolean> flagged = new ArrayDeque<>();
    private final double[] offset;
    private final boolean[] offsetSet;
    private double[] scale;
    private double[] errorScale;
    private int run;
    private long sinceTraining;

    public StreamWatch(List<String> features, WatchSettings settings) {
        this.features = List.copyOf(features);
        this.settings = settings;
        this.offset = new double[features.size()];
        this.offsetSet = new boolean[features.size()];
    }

    List<String> features() {
        return features;
    }

    boolean calibrated() {
        return scale != null;
    }

    /** Readings kept as history. */
    int historySize() {
        return history.size();
    }

    /** Whether it is time for a training: the warm-up is complete, or enough readings came since the last one. */
    public boolean trainingDue() {
        if (!calibrated()) {
            return history.size() >= settings.warmup();
        }
        return settings.retrainEvery() > 0 && sinceTraining >= settings.retrainEvery();
    }

    /** A reading waiting for its forecast: the forecaster's input and each value's centre over the window. */
    record Pending(float[] row, double[] centre) {
    }

    /**
     * One reading's values (in the order of {@link #features}), scored at once: {@link #prepare}, the forecaster,
     * {@link #finish}.
     *
     * @param forecaster the serving model; not called before the stream is calibrated
     * @throws Exception when the forecaster fails (the reading is then not kept)
     */
    public Observation observe(double[] values, Forecaster forecaster) throws Exception {
        Pending pending = prepare(values);
        return pending == null ? learning() : finish(values, pending, forecaster.forecast(pending.row()));
    }

    /**
     * First half of {@link #observe}: null when the reading was kept as history without a score (no model yet, or
     * too little history since a restart); else what the forecaster must be asked. The stream's next reading must
     * wait for {@link #finish}.
     */
    Pending prepare(double[] values) {
        if (!calibrated() || history.size() < settings.window()) {
            keep(values, false);
            return null;
        }
        double[] centre = new double[features.size()];
        return new Pending(row(centre), centre);
    }

    /** What a reading {@link #prepare} kept as history is. */
    Observation learning() {
        return new Observation(Kind.LEARNING, Double.NaN, false, null,
                calibrated() ? settings.window() : settings.warmup());
    }

    /** Second half of {@link #observe}: scores the reading with the forecast and keeps it (cleaned) as history. */
    Observation finish(double[] values, Pending pending, float[] forecast) {
        int n = features.size();
        double[] centre = pending.centre();
        double score = 0;
        double[] expected = new double[n];
        boolean[] over = new boolean[n];
        boolean anomaly = false;
        for (int f = 0; f < n; f++) {
            expected[f] = centre[f] + forecast[f] * scale[f];
            double error = Math.abs((values[f] - centre[f]) / scale[f] - forecast[f]) / errorScale[f];
            score = Math.max(score, error);
            over[f] = error > settings.thresholdFactor();
            anomaly |= over[f];
        }
        double[] cleaned = values.clone();
        if (anomaly && run < settings.acceptAfter()) {
            for (int f = 0; f < n; f++) {
                if (over[f] && !offsetSet[f]) {
                    offset[f] = values[f] - expected[f];
                    offsetSet[f] = true;
                }
                if (offsetSet[f]) {
                    cleaned[f] = values[f] - offset[f];
                }
            }
            run++;
            keep(cleaned, true);
        } else {
            if (anomaly) {
                run++; // lasted longer than acceptAfter: the new normal, learnt from
            } else {
                run = 0;
                Arrays.fill(offsetSet, false);
            }
            keep(values, false);
        }
        sinceTraining++;
        return new Observation(Kind.SCORED, score, anomaly, expected, 0);
    }

    /** A reading from before a restart, kept as history (normal): what the forecaster looks back on. */
    void remember(double[] values) {
        keep(values.clone(), false);
    }

    private void keep(double[] values, boolean anomalous) {
        history.addLast(values);
        flagged.addLast(anomalous);
        int most = Math.max(settings.trainingReadings(), settings.warmup());
        while (history.size() > most) {
            history.removeFirst();
            flagged.removeFirst();
        }
    }

    /** The newest {@code window} readings of history as the forecaster's input; fills each value's centre. */
    private float[] row(double[] centre) {
        int width = settings.window();
        double[][] last = new double[width][];
        Iterator<double[]> newest = history.descendingIterator();
        for (int i = width - 1; i >= 0; i--) {
            last[i] = newest.next();
        }
        return normalized(last, 0, width, scale, centre);
    }

    private float[] normalized(double[][] readings, int from, int width, double[] scales, double[] centre) {
        int n = features.size();
        float[] row = new float[n * width];
        for (int f = 0; f < n; f++) {
            double sum = 0;
            for (int i = 0; i < width; i++) {
                sum += readings[from + i][f];
            }
            centre[f] = sum / width;
            for (int i = 0; i < width; i++) {
                row[f * width + i] = (float) ((readings[from + i][f] - centre[f]) / scales[f]);
            }
        }
        return row;
    }

    /**
     * The rows a training learns from: every window of the newest {@code trainingReadings} readings of history with
     * the reading after it as the target, leaving out windows that touch an anomaly; each value divided by its
     * typical step between two normal readings (the standard deviation of those steps).
     */
    public TrainingSet trainingSet() {
        double[][] readings = history.toArray(new double[0][]);
        Boolean[] anomalous = flagged.toArray(new Boolean[0]);
        int from = Math.max(0, readings.length - settings.trainingReadings());
        int n = features.size();
        double[] steps = new double[n];
        double[] squares = new double[n];
        int count = 0;
        for (int t = from + 1; t < readings.length; t++) {
            if (!anomalous[t] && !anomalous[t - 1]) {
                for (int f = 0; f < n; f++) {
                    double step = readings[t][f] - readings[t - 1][f];
                    steps[f] += step;
                    squares[f] += step * step;
                }
                count++;
            }
        }
        double[] scales = new double[n];
        for (int f = 0; f < n; f++) {
            double mean = count == 0 ? 0 : steps[f] / count;
            double sd = count < 2 ? 0 : Math.sqrt(Math.max(0, squares[f] / count - mean * mean));
            // a stuck or very steady value still needs a unit: a thousandth of its size, at least 1e-6
            scales[f] = Math.max(sd, Math.max(1e-6, 1e-3 * Math.abs(readings[readings.length - 1][f])));
        }
        int width = settings.window();
        List<float[]> inputs = new ArrayList<>();
        List<float[]> targets = new ArrayList<>();
        double[] centre = new double[n];
        for (int t = from + width; t < readings.length; t++) {
            boolean clean = true;
            for (int i = t - width; i <= t && clean; i++) {
                clean = !anomalous[i];
            }
            if (!clean) {
                continue;
            }
            inputs.add(normalized(readings, t - width, width, scales, centre));
            float[] target = new float[n];
            for (int f = 0; f < n; f++) {
                target[f] = (float) ((readings[t][f] - centre[f]) / scales[f]);
            }
            targets.add(target);
        }
        sinceTraining = 0;
        return new TrainingSet(inputs.toArray(new float[0][]), targets.toArray(new float[0][]), scales);
    }

    /**
     * Takes a trained model into use: the scales its rows were made with and its forecasts of those rows, from which
     * each value's error scale (the 99.9th percentile of its absolute errors) is derived.
     */
    public void calibrate(TrainingSet set, float[][] forecasts) {
        this.errorScale = errorScales(set, forecasts);
        this.scale = set.scale().clone();
    }

    /** Takes back a calibration saved earlier (a restart). */
    void restore(double[] scales, double[] errorScales) {
        this.scale = scales.clone();
        this.errorScale = errorScales.clone();
    }

    double[] scales() {
        return scale == null ? null : scale.clone();
    }

    double[] errorScales() {
        return errorScale == null ? null : errorScale.clone();
    }

    static double[] errorScales(TrainingSet set, float[][] forecasts) {
        int n = set.targets()[0].length;
        double[] result = new double[n];
        double[] errors = new double[set.targets().length];
        for (int f = 0; f < n; f++) {
            for (int r = 0; r < errors.length; r++) {
                errors[r] = Math.abs(set.targets()[r][f] - forecasts[r][f]);
            }
            Arrays.sort(errors);
            double position = WatchSettings.QUANTILE * (errors.length - 1);
            int below = (int) Math.floor(position);
            int above = Math.min(errors.length - 1, below + 1);
            double q = errors[below] + (position - below) * (errors[above] - errors[below]);
            result[f] = Math.max(q, 1e-3); // a perfect fit must not make every later wobble an anomaly
        }
        return result;
    }

    /** The forecasts as a map by value name. */
    Map<String, Double> named(double[] values) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int f = 0; f < features.size(); f++) {
            map.put(features.get(f), values[f]);
        }
        return map;
    }
}
