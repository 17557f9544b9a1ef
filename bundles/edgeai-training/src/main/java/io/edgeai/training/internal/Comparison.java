package io.edgeai.training.internal;

import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.model.ModelVersion;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether a freshly trained version beats the active one on the job's held-out rows: the active version answers them
 * through the inference service (as it serves, but as no traffic: drift and the serving counters do not see them),
 * its loss is computed the way training computed the new one's.
 */
record Comparison(boolean better, String why) {

    private static final int CHUNK = 32;

    static Comparison of(TrainingRun.Result result, TrainingData data, Optional<ModelVersion> active,
            InferenceService inference, String model) {
        double fresh = result.bestLoss();
        if (active.isEmpty()) {
            return new Comparison(true, "no active version; held-out loss " + format(fresh));
        }
        if (inference == null) {
            return new Comparison(false, "inference is not running, the active version could not be compared");
        }
        int[] rows = result.validationRows();
        double sum = 0;
        int count = 0;
        try {
            for (int from = 0; from < rows.length; from += CHUNK) {
                int[] chunk = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + CHUNK));
                float[][] inputs = new float[chunk.length][];
                for (int i = 0; i < chunk.length; i++) {
                    inputs[i] = data.inputs()[chunk[i]];
                }
                Prediction answer = inference.evaluate(model, inputs).toCompletableFuture().get(60, TimeUnit.SECONDS);
                for (int i = 0; i < chunk.length; i++) {
                    float[] out = answer.outputs()[i];
                    float[] target = data.targets() == null ? null : data.targets()[chunk[i]];
                    switch (result.loss()) {
                        case "cross-entropy" -> sum += -Math.log(Math.max(1e-12, out[(int) target[0]]));
                        case "mae" -> {
                            for (int j = 0; j < out.length; j++) {
                                sum += Math.abs(out[j] - target[j]) / out.length;
                            }
                        }
                        default -> {
                            if (target == null) {
                                sum += out[0]; // an autoencoder serves the row's reconstruction error
                            } else {
                                for (int j = 0; j < out.length; j++) {
                                    sum += Math.pow(out[j] - target[j], 2) / out.length;
                                }
                            }
                        }
                    }
                    count++;
                }
            }
        } catch (Exception e) {
            return new Comparison(false, "the active version " + active.get().version() + " could not be compared: "
                    + e.getMessage());
        }
        double current = sum / count;
        boolean better = fresh < current;
        return new Comparison(better, "held-out loss " + format(fresh) + (better ? " beats " : " does not beat ")
                + format(current) + " of active version " + active.get().version());
    }

    private static String format(double value) {
        return String.format(java.util.Locale.ROOT, "%.6g", value);
    }
}
