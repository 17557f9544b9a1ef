package io.edgeai.inference.internal;

import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.Prediction;
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
        while (true) {
            ServingVersion serving = current;
            if (serving == null) {
                return failed(new InferenceException(InferenceException.Reason.UNKNOWN_MODEL, "model '" + model
                        + "' has no active version"));
            }
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
            switch (serving.batcher.submit(inputs, outputs)) {
                case QUEUED:
                    int version = serving.version.version();
                    return outputs.handle((rows, failure) -> {
                        if (failure != null) {
                            throw new java.util.concurrent.CompletionException(new InferenceException(
                                    InferenceException.Reason.FAILED, "model '" + model + "' version " + version
                                    + " failed: " + failure.getMessage(), failure));
                        }
                        return new Prediction(model, version, rows);
                    });
                case FULL:
                    return failed(new InferenceException(InferenceException.Reason.OVERLOADED, "model '" + model
                            + "' has " + serving.batcher.queued() + " requests waiting; retry shortly"));
                default:
                    continue; // that version was just replaced: the request goes to the new one
            }
        }
    }

    private static CompletionStage<Prediction> failed(InferenceException e) {
        return CompletableFuture.failedFuture(e);
    }
}
