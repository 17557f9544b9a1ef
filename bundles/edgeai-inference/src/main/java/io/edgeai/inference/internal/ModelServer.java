package io.edgeai.inference.internal;

import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.inference.ReadingPrediction;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.Preprocessed;
import io.edgeai.api.reading.Reading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A model name's traffic: every request goes to the version serving at the moment it is queued, and its answer names
 * that version. {@link #switchTo} replaces the serving version between two requests; the previous one finishes what
 * it queued before it is closed, so a swap neither loses nor fails a request.
 */
final class ModelServer {

    private static final float[] EMPTY = new float[0];

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
        return predict(inputs, false);
    }

    /**
     * Rows of a request: through a fresh copy of the serving version's pipeline when it has one (unless
     * {@code skipPipeline}), else as the model's inputs.
     */
    CompletionStage<Prediction> predict(float[][] inputs, boolean skipPipeline) {
        while (true) {
            ServingVersion serving = current;
            if (serving == null) {
                return noVersion();
            }
            CompletionStage<Prediction> answer;
            if (skipPipeline || serving.pipelineCopies == null) {
                answer = submit(serving, inputs, true);
            } else {
                try {
                    float[][] rows = Sequence.rows(model, serving, Sequence.readings(model, serving, inputs,
                            Instant.now()), true);
                    answer = submitSparse(serving, rows, true);
                } catch (InferenceException e) {
                    return failed(e);
                }
            }
            if (answer != null) {
                return answer;
            } // that version was just replaced: the request goes to the new one
        }
    }

    /**
     * Readings scored as the serving version serves them, as no traffic: not counted, not timed, not told to the
     * listeners. A swap in the middle fails the evaluation rather than mixing two versions' answers.
     */
    CompletionStage<Prediction> evaluate(List<Reading> readings) {
        while (true) {
            ServingVersion serving = current;
            if (serving == null) {
                return noVersion();
            }
            CompletionStage<Prediction> answer;
            try {
                answer = submitSparse(serving, Sequence.rows(model, serving, readings, false), false);
            } catch (InferenceException e) {
                return failed(e);
            }
            if (answer != null) {
                return answer;
            }
        }
    }

    /**
     * One device reading through one pipeline, once: the serving version's own (if its archive has one), else
     * {@code orElse}, else its values as they are; then the model's input by the names in its model.json. Pipeline and
     * model come from the same version; a reading {@code orElse} processed is not processed again when a swap sends
     * it to the next version.
     */
    CompletionStage<ReadingPrediction> predict(Reading reading, Pipeline orElse) {
        Preprocessed byFallback = null;
        while (true) {
            ServingVersion serving = current;
            if (serving == null) {
                return failed(noModel());
            }
            Preprocessed made;
            Features newest;
            float[] row;
            try {
                if (serving.pipeline != null) {
                    made = Sequence.process(serving.pipeline, reading, "model '" + model + "' version "
                            + serving.version.version() + ", its pipeline's step ");
                } else if (orElse != null) {
                    made = byFallback != null ? byFallback
                            : Sequence.process(orElse, reading, "pipeline '" + orElse.name() + "', step ");
                    byFallback = made;
                } else {
                    made = null;
                }
                newest = made == null ? Features.of(reading) : made.features().isEmpty() ? null
                        : made.features().get(made.features().size() - 1);
                if (newest == null) {
                    return CompletableFuture.completedFuture(new ReadingPrediction(new Prediction(model,
                            serving.version.version(), new float[0][]), made, threshold(serving)));
                }
                row = Sequence.row(model, newest, serving.version.spec().inputFeatures());
            } catch (InferenceException e) {
                return failed(e);
            }
            CompletionStage<Prediction> answer = submit(serving, new float[][] {row}, true);
            if (answer != null) {
                Preprocessed preprocessed = made;
                Double threshold = threshold(serving);
                return answer.thenApply(prediction -> new ReadingPrediction(prediction, preprocessed, threshold));
            } // that version was just replaced: the reading goes to the new one
        }
    }

    /** A vector a route's pipeline made, as the model's input; a version with its own pipeline refuses it. */
    CompletionStage<Prediction> predict(Features features) {
        while (true) {
            ServingVersion serving = current;
            if (serving == null) {
                return noVersion();
            }
            if (serving.pipeline != null) {
                return failed(new InferenceException(InferenceException.Reason.BAD_INPUT, "model '" + model
                        + "' version " + serving.version.version() + " carries its own pipeline, so it takes"
                        + " readings, not features another pipeline made: send it the reading (edgeai:infer without"
                        + " edgeai:preprocess before it)"));
            }
            float[] row;
            try {
                row = Sequence.row(model, features, serving.version.spec().inputFeatures());
            } catch (InferenceException e) {
                return failed(e);
            }
            CompletionStage<Prediction> answer = submit(serving, new float[][] {row}, true);
            if (answer != null) {
                return answer;
            }
        }
    }

    /** The version's anomaly threshold, from its metrics, or null. */
    private static Double threshold(ServingVersion serving) {
        Number threshold = serving.version.metrics().get("threshold");
        return threshold == null ? null : threshold.doubleValue();
    }

    private InferenceException noModel() {
        return new InferenceException(InferenceException.Reason.UNKNOWN_MODEL, "model '" + model
                + "' has no active version");
    }

    private CompletionStage<Prediction> noVersion() {
        return failed(noModel());
    }

    /**
     * Queues the rows that are there (null: no input for that place) in chunks of at most one batch, one after the
     * other; the answer has an empty output row for each missing input. Null when the version was closed before the
     * first chunk; a close after it fails the answer.
     */
    private CompletionStage<Prediction> submitSparse(ServingVersion serving, float[][] slots, boolean traffic) {
        float[][] outputs = new float[slots.length][];
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            outputs[i] = EMPTY;
            if (slots[i] != null) {
                present.add(i);
            }
        }
        int version = serving.version.version();
        if (present.isEmpty()) {
            return CompletableFuture.completedFuture(new Prediction(model, version, outputs));
        }
        int chunk = serving.batcherMaxRows();
        CompletionStage<Prediction> first = submit(serving, rows(slots, present, 0, chunk), traffic);
        if (first == null) {
            return null;
        }
        CompletionStage<Void> chain = first.thenAccept(p -> place(p, present, 0, outputs));
        for (int from = chunk; from < present.size(); from += chunk) {
            int start = from;
            chain = chain.thenCompose(done -> {
                CompletionStage<Prediction> next = submit(serving, rows(slots, present, start, chunk), traffic);
                return next != null ? next.thenAccept(p -> place(p, present, start, outputs))
                        : failed(new InferenceException(InferenceException.Reason.FAILED, "model '" + model
                                + "' version " + version + " was replaced while it was being evaluated; try again"))
                                .thenAccept(p -> { });
            });
        }
        return chain.thenApply(done -> new Prediction(model, version, outputs));
    }

    private static float[][] rows(float[][] slots, List<Integer> present, int from, int chunk) {
        int to = Math.min(present.size(), from + chunk);
        float[][] rows = new float[to - from][];
        for (int i = from; i < to; i++) {
            rows[i - from] = slots[present.get(i)];
        }
        return rows;
    }

    private static void place(Prediction answer, List<Integer> present, int from, float[][] outputs) {
        for (int i = 0; i < answer.outputs().length; i++) {
            outputs[present.get(from + i)] = answer.outputs()[i];
        }
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

    private static <T> CompletionStage<T> failed(InferenceException e) {
        return CompletableFuture.failedFuture(e);
    }
}
