package io.edgeai.monitoring.internal.accuracy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Live accuracy: the predictions the gateway answered (per device, the newest {@code perDevice}, with their time,
 * model, version and outputs) joined with ground truth that arrives later, by device and time. A label joins the
 * newest prediction of its device at or before its time, at most {@code toleranceMillis} before it. Per model version:
 * the mean absolute error of the first output for a regressor (one output), the share of labels equal to the most
 * probable class for a classifier (several outputs).
 */
public final class AccuracyTracker {

    /** A prediction as it was answered. */
    public record Prediction(long millis, String model, int version, float[] outputs) {
    }

    /** A label joined with its prediction. */
    public record Joined(String model, int version, long predictionMillis, float[] outputs, double truth,
            double error, boolean correct) {
    }

    /**
     * One model version's live accuracy so far: {@code mae} over the {@code regressed} labels (their absolute errors
     * summing to {@code absoluteError}), {@code accuracy} = {@code correct} / {@code classified}.
     */
    public record Score(String model, int version, long labels, double mae, double accuracy, long regressed,
            double absoluteError, long classified, long correct) {
    }

    private static final class Totals {
        long labels;
        long classified;
        long correct;
        long regressed;
        double absoluteError;
    }

    private final int perDevice;
    private final long toleranceMillis;
    private final Map<String, ArrayDeque<Prediction>> predictions = new LinkedHashMap<>();
    private final Map<String, Totals> totals = new LinkedHashMap<>();

    public AccuracyTracker(int perDevice, long toleranceMillis) {
        this.perDevice = Math.max(1, perDevice);
        this.toleranceMillis = Math.max(0, toleranceMillis);
    }

    public synchronized void predicted(String device, Prediction prediction) {
        ArrayDeque<Prediction> kept = predictions.computeIfAbsent(device, d -> new ArrayDeque<>());
        kept.addLast(prediction);
        while (kept.size() > perDevice) {
            kept.removeFirst();
        }
    }

    /** Joins a label; empty when the device has no prediction at or before its time within the tolerance. */
    public synchronized Optional<Joined> label(String device, long millis, double truth) {
        ArrayDeque<Prediction> kept = predictions.get(device);
        if (kept == null) {
            return Optional.empty();
        }
        Prediction match = null;
        for (Iterator<Prediction> it = kept.descendingIterator(); it.hasNext();) {
            Prediction p = it.next();
            if (p.millis() <= millis) {
                match = p;
                break;
            }
        }
        if (match == null || millis - match.millis() > toleranceMillis) {
            return Optional.empty();
        }
        Totals t = totals.computeIfAbsent(match.model() + "@" + match.version(), k -> new Totals());
        t.labels++;
        float[] out = match.outputs();
        double error;
        boolean correct;
        if (out.length == 1) {
            error = Math.abs(out[0] - truth);
            correct = Math.rint(out[0]) == truth;
            t.regressed++;
            t.absoluteError += error;
        } else {
            int best = 0;
            for (int i = 1; i < out.length; i++) {
                best = out[i] > out[best] ? i : best;
            }
            correct = best == truth;
            error = correct ? 0 : 1;
            t.classified++;
            t.correct += correct ? 1 : 0;
        }
        return Optional.of(new Joined(match.model(), match.version(), match.millis(), out.clone(), truth, error,
                correct));
    }

    /** Every model version's score so far. */
    public synchronized List<Score> scores() {
        List<Score> scores = new ArrayList<>();
        totals.forEach((key, t) -> {
            int at = key.lastIndexOf('@');
            scores.add(new Score(key.substring(0, at), Integer.parseInt(key.substring(at + 1)), t.labels,
                    t.regressed == 0 ? Double.NaN : t.absoluteError / t.regressed,
                    t.classified == 0 ? Double.NaN : t.correct / (double) t.classified, t.regressed, t.absoluteError,
                    t.classified, t.correct));
        });
        return scores;
    }
}
