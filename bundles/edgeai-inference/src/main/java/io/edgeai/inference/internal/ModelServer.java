package io.edgeai.inference.internal;

import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.RejectReason;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A model name's traffic: every request goes to the version serving at the moment it is queued, and its answer names
 * that version. {@link #switchTo} replaces the serving version between two requests; the previous one finishes what
 * it queued before it is closed, so a swap neither loses nor fails a request.
 */
final class ModelServer {

    private final String model;
    private volatile ServingVersion current;

    ModelServer(String model) {
        this.model = model;
    }

    ServingVersion current() {
        return current;
    }

    /** Makes {@code next} serve; returns the version it replaced (to be closed by the caller), or null. */
    synchronized ServingVersion switchTo(ServingVersion next) {
        ServingVersion previous = current;
        current = next;
        return previous;
    }

    CompletionStage<Prediction> predict(float[][] inputs) {
        return predict(inputs, true);
    }

    /** As {@link #predict(float[][])}, but no traffic: not counted, not timed, not told to the listeners. */
    CompletionStage<Prediction> evaluate(float[][] inputs) {
        return predict(inputs, false);
    }

    private CompletionStage<Prediction> predict(float[][] inputs, boolean traffic) {
        while (true) {
            ServingVersion serving = current;
            if (serving == null) {
                return failed(new InferenceException(InferenceException.Reason.UNKNOWN_MODEL, "model '" + model
                        + "' has no active version"));
            }
            CompletionStage<Prediction> answer = submit(serving, inputs, traffic);
            if (answer != null) {
                return answer;
            } // that version was just replaced: the request goes to the new one
        }
    }

    /**
     * One feature vector: the serving version's own pipeline (if its archive has one) and its model, so that both come
     * from the same version; then its input by the names in its model.json, or in the given order.
     */
    CompletionStage<Prediction> predict(Features features) {
        while (true) {
            ServingVersion serving = current;
            if (serving == null) {
                return failed(new InferenceException(InferenceException.Reason.UNKNOWN_MODEL, "model '" + model
                        + "' has no active version"));
            }
            Features vector = features;
            if (serving.pipeline != null) {
                try {
                    List<Features> out = serving.pipeline.process(reading(features)).features();
                    if (out.isEmpty()) {
                        return CompletableFuture.completedFuture(new Prediction(model, serving.version.version(),
                                new float[0][]));
                    }
                    vector = out.get(out.size() - 1);
                } catch (PreprocessException e) {
                    return failed(new InferenceException(e.reason(), "model '" + model + "' version "
                            + serving.version.version() + ", its pipeline's step " + e.step() + ": " + e.getMessage()));
                }
            }
            float[] row;
            try {
                row = row(vector, serving.version.spec().inputFeatures());
            } catch (InferenceException e) {
                return failed(e);
            }
            CompletionStage<Prediction> answer = submit(serving, new float[][] {row}, true);
            if (answer != null) {
                return answer;
            }
        }
    }

    private static Reading reading(Features features) {
        Map<String, Double> values = new LinkedHashMap<>();
        float[] x = features.values();
        for (int i = 0; i < x.length; i++) {
            if (Float.isFinite(x[i])) {
                values.put(features.names().get(i), (double) x[i]);
            }
        }
        return new Reading(features.deviceId(), features.timestamp(), values);
    }

    private float[] row(Features vector, List<String> names) throws InferenceException {
        if (names.isEmpty()) {
            return vector.values();
        }
        float[] all = vector.values();
        float[] row = new float[names.size()];
        for (int i = 0; i < names.size(); i++) {
            int at = vector.names().indexOf(names.get(i));
            if (at < 0) {
                throw new InferenceException(RejectReason.MISSING_FIELD, "model '" + model + "' takes " + names
                        + "; the reading has no '" + names.get(i) + "'");
            }
            row[i] = all[at];
        }
        return row;
    }

    /** Queues rows on that version; null when it was closed meanwhile. */
    private CompletionStage<Prediction> submit(ServingVersion serving, float[][] inputs, boolean traffic) {
        int width = serving.version.spec().inputSize();
        if (inputs.length == 0) {
            return failed(new InferenceException(InferenceException.Reason.BAD_INPUT, "no input rows"));
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null || inputs[i].length != width) {
                return failed(new InferenceException(InferenceException.Reason.BAD_INPUT, "input row " + i
                        + " has " + (inputs[i] == null ? 0 : inputs[i].length) + " values; model '" + model
                        + "' version " + serving.version.version() + " takes " + width));
            }
            for (float x : inputs[i]) {
                if (!Float.isFinite(x)) {
                    return failed(new InferenceException(InferenceException.Reason.BAD_INPUT, "input row " + i
                            + " holds " + x + ": values must be finite numbers"));
                }
            }
        }
        if (inputs.length > serving.batcherMaxRows()) {
            return failed(new InferenceException(InferenceException.Reason.BAD_INPUT, inputs.length
                    + " rows in one request; at most " + serving.batcherMaxRows()));
        }
        CompletableFuture<float[][]> outputs = new CompletableFuture<>();
        long arrived = System.nanoTime();
        switch (serving.batcher.submit(inputs, outputs, traffic)) {
            case QUEUED:
                int version = serving.version.version();
                return outputs.handle((rows, failure) -> {
                    if (traffic && serving.latency != null) {
                        serving.latency.since(arrived);
                    }
                    if (failure != null) {
                        throw new java.util.concurrent.CompletionException(new InferenceException(
                                InferenceException.Reason.FAILED, "model '" + model + "' version " + version
                                + " failed: " + failure.getMessage(), failure));
                    }
                    return new Prediction(model, version, rows);
                });
            case FULL:
                return failed(InferenceException.overloaded("model '" + model + "' has " + serving.batcher.queued()
                        + " requests waiting; retry in " + serving.retryAfterSeconds + " s",
                        serving.retryAfterSeconds));
            default:
                return null;
        }
    }

    private static CompletionStage<Prediction> failed(InferenceException e) {
        return CompletableFuture.failedFuture(e);
    }
}
