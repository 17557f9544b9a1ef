package io.edgeai.inference.internal;

import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.inference.ReadingPrediction;
import io.edgeai.api.model.RolloutStage;
import io.edgeai.api.model.TrialFigures;
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
 * it queued before it is closed, so a swap neither loses nor fails a request. A version on {@link #trial} beside the
 * serving one takes a copy of each request (shadow) or answers a share of the devices (canary).
 */
final class ModelServer {

    private static final float[] EMPTY = new float[0];

    private final String model;
    private volatile ServingVersion current;
    private volatile Trial trial;

    ModelServer(String model) {
        this.model = model;
    }

    ServingVersion current() {
        return current;
    }

    /** Makes {@code next} serve; returns the version it replaced (to be closed by the caller), or null. */
    synchronized ServingVersion switchTo(ServingVersion next) {
        if (trial != null && (next == null || trial.candidate == next)) {
            trial = null;
        }
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
        return route(null, serving -> {
            if (skipPipeline || serving.pipelineCopies == null) {
                return submit(serving, inputs, true);
            }
            try {
                float[][] rows = Sequence.rows(model, serving, Sequence.readings(model, serving, inputs,
                        Instant.now()), true);
                return submitSparse(serving, rows, true);
            } catch (InferenceException e) {
                return failed(e);
            }
        }, Prediction::outputs);
    }

    /**
     * The prediction, as {@link #predict(float[][], boolean)} answers it, and each row's explanation computed on
     * {@code explaining} from the model inputs the rows became (through the version's pipeline unless skipped).
     */
    CompletionStage<io.edgeai.api.inference.Explained> explain(float[][] inputs, boolean skipPipeline,
            java.util.concurrent.Executor explaining) {
        ServingVersion serving = current;
        InferenceException unexplainable = unexplainable(serving);
        if (unexplainable != null) {
            return failed(unexplainable);
        }
        float[][] rows;
        try {
            rows = skipPipeline || serving.pipelineCopies == null ? inputs : Sequence.rows(model, serving,
                    Sequence.readings(model, serving, inputs, Instant.now()), true);
        } catch (InferenceException e) {
            return failed(e);
        }
        java.util.concurrent.CompletableFuture<List<io.edgeai.api.inference.Explanation>> explanations;
        try {
            explanations = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                // the rows that completed a vector, explained together; null for the others
                float[][] given = java.util.Arrays.stream(rows).filter(java.util.Objects::nonNull)
                        .toArray(float[][]::new);
                java.util.Iterator<io.edgeai.api.inference.Explanation> explained = explainRows(serving, given)
                        .iterator();
                List<io.edgeai.api.inference.Explanation> all = new java.util.ArrayList<>();
                for (float[] row : rows) {
                    all.add(row == null ? null : explained.next());
                }
                return all;
            }, explaining);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return failed(explanationsQueuedUp());
        }
        return predict(inputs, skipPipeline).thenCombine(explanations, io.edgeai.api.inference.Explained::new);
    }

    /** Why the serving version answers a vector as it does (its input by the names in model.json). */
    CompletionStage<io.edgeai.api.inference.Explanation> explain(Features features,
            java.util.concurrent.Executor explaining) {
        ServingVersion serving = current;
        InferenceException unexplainable = unexplainable(serving);
        if (unexplainable != null) {
            return failed(unexplainable);
        }
        float[] row;
        try {
            row = Sequence.row(model, features, serving.version.spec().inputFeatures());
        } catch (InferenceException e) {
            return failed(e);
        }
        try {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> explainRows(serving,
                    new float[][] {row}).get(0), explaining);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return failed(explanationsQueuedUp());
        }
    }

    /** Why the serving version cannot explain (none serves, or it has no explainer); null when it can. */
    private InferenceException unexplainable(ServingVersion serving) {
        if (serving == null) {
            return noModel();
        }
        return serving.explainer != null ? null : new InferenceException(InferenceException.Reason.FAILED, "model '"
                + model + "' version " + serving.version.version() + " cannot be explained");
    }

    private InferenceException explanationsQueuedUp() {
        return InferenceException.overloaded("model '" + model + "': explanations are queued up; try again in a"
                + " second", 1);
    }

    /** The rows' explanations; a failure as the InferenceException a caller is told. */
    private static List<io.edgeai.api.inference.Explanation> explainRows(ServingVersion serving, float[][] rows) {
        try {
            return serving.explainer.explain(rows);
        } catch (IllegalArgumentException e) {
            throw new java.util.concurrent.CompletionException(new InferenceException(
                    InferenceException.Reason.BAD_INPUT, e.getMessage()));
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(new InferenceException(
                    InferenceException.Reason.FAILED, "the explanation failed: " + e.getMessage()));
        }
    }

    /**
     * Readings scored as the serving version serves them, as no traffic: not counted, not timed, not told to the
     * listeners, not shown to a version on trial. A swap in the middle fails the evaluation rather than mixing two
     * versions' answers.
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
     * it to the next version, or when a version on trial takes it too.
     */
    CompletionStage<ReadingPrediction> predict(Reading reading, Pipeline orElse) {
        Preprocessed[] byFallback = new Preprocessed[1];
        return route(reading.deviceId(), serving -> predictOn(serving, reading, orElse, byFallback),
                answer -> answer.prediction().outputs());
    }

    /** {@link #predict(Reading, Pipeline)} on one version; null when that version was just replaced. */
    private CompletionStage<ReadingPrediction> predictOn(ServingVersion serving, Reading reading, Pipeline orElse,
            Preprocessed[] byFallback) {
        Preprocessed made;
        Features newest;
        float[] row;
        try {
            if (serving.pipeline != null) {
                made = Sequence.process(serving.pipeline, reading, "model '" + model + "' version "
                        + serving.version.version() + ", its pipeline's step ");
            } else if (orElse != null) {
                made = byFallback[0] != null ? byFallback[0]
                        : Sequence.process(orElse, reading, "pipeline '" + orElse.name() + "', step ");
                byFallback[0] = made;
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
        if (answer == null) {
            return null;
        }
        Preprocessed preprocessed = made;
        Double threshold = threshold(serving);
        return answer.thenApply(prediction -> new ReadingPrediction(prediction, preprocessed, threshold));
    }

    /** A vector a route's pipeline made, as the model's input; a version with its own pipeline refuses it. */
    CompletionStage<Prediction> predict(Features features) {
        return route(features.deviceId(), serving -> {
            if (serving.pipeline != null) {
                return failed(new InferenceException(InferenceException.Reason.BAD_INPUT, "model '" + model
                        + "' version " + serving.version.version() + " carries its own pipeline, so it takes"
                        + " readings, not features another pipeline made: send it the reading (edgeai:infer without"
                        + " edgeai:preprocess before it)"));
            }
            try {
                return submit(serving, new float[][] {Sequence.row(model, features,
                        serving.version.spec().inputFeatures())}, true);
            } catch (InferenceException e) {
                return failed(e);
            }
        }, Prediction::outputs);
    }

    /** A request on one version: its answer, or null when that version was closed before it took the request. */
    private interface Attempt<T> {
        CompletionStage<T> on(ServingVersion serving);
    }

    /** What one version made of a compared request: its outputs (null when it failed) and its latency. */
    private record Outcome(float[][] outputs, long nanos) {
    }

    /**
     * Sends a request to the serving version, and, while a version is on trial, to that one too: as its shadow (the
     * serving version answers; no copy when the trial's queue is half full), or, for a device in the canary's share,
     * as the answer (the serving version computes it beside the canary and answers when the canary fails). Both
     * outcomes go into the trial's comparison. Devices outside the canary's share are the serving version's alone.
     */
    private <T> CompletionStage<T> route(String deviceId, Attempt<T> attempt,
            java.util.function.Function<T, float[][]> outputs) {
        while (true) {
            ServingVersion serving = current;
            if (serving == null) {
                return failed(noModel());
            }
            Trial trial = this.trial;
            if (trial == null) {
                CompletionStage<T> answer = attempt.on(serving);
                if (answer != null) {
                    return answer;
                }
                continue; // that version was just replaced: the request goes to the new one
            }
            boolean canary = trial.answers(deviceId);
            boolean busy = !canary && trial.candidate.batcher().queued() > trial.candidate.batcher().capacity() / 2;
            if (!canary && (busy || trial.stage == RolloutStage.CANARY)) {
                // the serving version's own device: a canary takes no copies; a busy shadow takes none either
                CompletionStage<T> answer = attempt.on(serving);
                if (answer != null) {
                    trial.request();
                    if (busy && trial.stage == RolloutStage.SHADOW) {
                        trial.skipped();
                    }
                    return answer;
                }
                continue;
            }
            long started = System.nanoTime();
            CompletionStage<T> active = attempt.on(serving);
            if (active == null) {
                continue;
            }
            trial.request();
            CompletionStage<T> tried = attempt.on(trial.candidate);
            if (tried == null) {
                return active; // the trial just ended
            }
            CompletableFuture<Outcome> activeOutcome = active.toCompletableFuture().handle((answer, failure) ->
                    new Outcome(failure == null ? outputs.apply(answer) : null, System.nanoTime() - started));
            tried.toCompletableFuture().handle((answer, failure) ->
                    new Outcome(failure == null ? outputs.apply(answer) : null, System.nanoTime() - started))
                    .thenAcceptBoth(activeOutcome, (c, a) -> trial.compared(a.outputs(), a.nanos(), c.outputs(),
                            c.nanos()));
            if (!canary) {
                return active;
            }
            return tried.handle((answer, failure) -> failure == null ? tried : active).thenCompose(f -> f);
        }
    }

    /** Puts {@code candidate} on trial in a stage (starting its figures again). */
    synchronized void trial(ServingVersion candidate, RolloutStage stage, double share) {
        trial = new Trial(candidate, stage, share);
    }

    /** The figures of {@code candidate}'s trial, or null when it is not on trial. */
    TrialFigures figures(ServingVersion candidate) {
        Trial running = trial;
        return running != null && running.candidate == candidate ? running.figures() : null;
    }

    /** Ends {@code candidate}'s trial, if it is on one; requests it took finish. */
    synchronized void endTrial(ServingVersion candidate) {
        if (trial != null && trial.candidate == candidate) {
            trial = null;
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
        CompletionStage<Prediction> first = submit(serving, rows(slots, present, 0, chunk), traffic, true);
        if (first == null) {
            return null;
        }
        CompletionStage<Void> chain = first.thenAccept(p -> place(p, present, 0, outputs));
        for (int from = chunk; from < present.size(); from += chunk) {
            int start = from;
            chain = chain.thenCompose(done -> {
                CompletionStage<Prediction> next = submit(serving, rows(slots, present, start, chunk), traffic, true);
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
        return submit(serving, inputs, traffic, false);
    }

    /**
     * Queues rows on that version; null when it was closed meanwhile. {@code chunk}: the rows are a chunk of a larger
     * request, sized by the version's limit when that request began (a new limit applies to the next request).
     */
    private CompletionStage<Prediction> submit(ServingVersion serving, float[][] inputs, boolean traffic,
            boolean chunk) {
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
        ServingVersion.Lane now = serving.lane();
        if (!chunk && inputs.length > now.maxRows()) {
            return failed(new InferenceException(InferenceException.Reason.BAD_INPUT, inputs.length
                    + " rows in one request; at most " + now.maxRows()));
        }
        CompletableFuture<float[][]> outputs = new CompletableFuture<>();
        long arrived = System.nanoTime();
        Batcher.Admission admission;
        // a closed batcher that the version replaced (new settings) sends the request on to the one that serves now
        while ((admission = now.batcher().submit(inputs, outputs, traffic)) == Batcher.Admission.CLOSED
                && serving.lane() != now) {
            now = serving.lane();
        }
        switch (admission) {
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
                return failed(InferenceException.overloaded("model '" + model + "' has " + now.batcher().queued()
                        + " requests waiting; retry in " + now.retryAfterSeconds() + " s",
                        now.retryAfterSeconds()));
            default:
                return null;
        }
    }

    private static <T> CompletionStage<T> failed(InferenceException e) {
        return CompletableFuture.failedFuture(e);
    }
}
