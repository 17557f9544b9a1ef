package io.edgeai.anomaly.internal;

import java.util.List;
import java.util.Map;

/**
 * How the anomaly watch's forecaster learns a stream (etc/io.edgeai.anomaly.cfg).
 *
 * @param window readings the forecaster looks back on
 * @param warmup readings collected before the first model is trained
 * @param retrainEvery readings between two trainings once watched (0: never retrain)
 * @param trainingReadings the newest readings a retraining learns from
 * @param thresholdFactor the forecaster does not learn from a reading whose error is this many times the largest
 *     (99.9th percentile) error it made on its normal training readings
 * @param acceptAfter values that stay that far off longer than this many readings are the stream's new normal
 * @param hidden the forecaster's hidden layers
 * @param epochs most epochs of a training (early stopping ends most sooner)
 */
public record WatchSettings(int window, int warmup, int retrainEvery, int trainingReadings, double thresholdFactor,
        int acceptAfter, List<Integer> hidden, int epochs) {

    static final double QUANTILE = 0.999;

    public WatchSettings {
        if (window < 2 || warmup < window + 10 || trainingReadings < window + 10 || retrainEvery < 0
                || !(thresholdFactor > 0) || acceptAfter < 0 || epochs < 1 || hidden.isEmpty()) {
            throw new IllegalArgumentException("anomaly watch: window >= 2, warmup and trainingReadings >= window"
                    + " + 10, retrainEvery >= 0, thresholdFactor > 0, acceptAfter >= 0, epochs >= 1, hidden layers"
                    + " (got window " + window + ", warmup " + warmup + ", trainingReadings " + trainingReadings
                    + ", retrainEvery " + retrainEvery + ", thresholdFactor " + thresholdFactor + ", acceptAfter "
                    + acceptAfter + ", epochs " + epochs + ", hidden " + hidden + ")");
        }
        hidden = List.copyOf(hidden);
    }

    /** The training spec of one stream's forecaster (rows inline), as a job spec map. */
    public Map<String, Object> spec(float[][] inputs, float[][] targets, long seed) {
        return Map.of("architecture", Map.of("name", "mlp", "hidden", hidden, "activation", "tanh"),
                "optimizer", Map.of("type", "adam", "learningRate", 0.01),
                "epochs", epochs, "batchSize", 32, "validationSplit", 0.1,
                "earlyStopping", Map.of("patience", 15, "minDelta", 0),
                "seed", seed, "autoPromote", true,
                "data", Map.of("source", "inline", "inputs", rows(inputs), "targets", rows(targets)));
    }

    private static List<List<Float>> rows(float[][] rows) {
        List<List<Float>> list = new java.util.ArrayList<>(rows.length);
        for (float[] row : rows) {
            Float[] boxed = new Float[row.length];
            for (int i = 0; i < row.length; i++) {
                boxed[i] = row[i];
            }
            list.add(List.of(boxed));
        }
        return list;
    }
}
