package io.edgeai.api.inference;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/** Runs the active version of a named model; concurrent requests may be batched together. */
@ProviderType
public interface InferenceService {

    /**
     * Asks a model for outputs, as every entry point does (HTTP and CoAP predict, the console, {@code edgeai:infer}):
     * one model gives one answer everywhere. When the serving version carries a fitted pipeline, the rows are readings
     * for it: row i holds the values named by {@link io.edgeai.api.model.ModelSpec#pipelineInputs()}, in that order,
     * and the rows of one request go through a fresh copy of that pipeline as one sequence (one second apart, the
     * last at the time of the request); a row that completes no feature vector (a window still filling) gets an
     * empty output row. Without a pipeline the rows are the model's inputs.
     *
     * @param model the model name
     * @param inputs one row per sample
     * @return the prediction, or a stage failed with an {@link InferenceException}
     */
    default CompletionStage<Prediction> predict(String model, float[][] inputs) {
        return predict(model, inputs, false);
    }

    /**
     * As {@link #predict(String, float[][])}; with {@code skipPipeline} the rows are the model's inputs as they are
     * (each as long as the model's input), also for a version that carries a pipeline: the caller prepared them.
     */
    CompletionStage<Prediction> predict(String model, float[][] inputs, boolean skipPipeline);

    /**
     * As {@link #predict(String, float[][], boolean)}, and why: each row's answer explained by per-input attributions
     * ({@link Explanation}), computed beside the serving version's queue (an explanation never delays an unexplained
     * request's turn). Fails with an {@link InferenceException} as predict does, OVERLOADED when explanations queue up.
     */
    default CompletionStage<Explained> explain(String model, float[][] inputs, boolean skipPipeline) {
        return java.util.concurrent.CompletableFuture.failedFuture(new InferenceException(
                InferenceException.Reason.FAILED, "this inference service explains nothing"));
    }

    /**
     * Why the serving version answers a feature vector as it does: the vector taken as the model's input by the names
     * in its {@code model.json} (as {@link #predict(String, io.edgeai.api.preprocess.Features)} takes it), explained
     * beside the version's queue. For a route that has its answer already ({@code edgeai:infer?explain=true}); no
     * prediction is counted. Fails as {@link #explain(String, float[][], boolean)} does.
     */
    default CompletionStage<Explanation> explain(String model, io.edgeai.api.preprocess.Features features) {
        return java.util.concurrent.CompletableFuture.failedFuture(new InferenceException(
                InferenceException.Reason.FAILED, "this inference service explains nothing"));
    }

    /**
     * Asks a model about one device reading, as the telemetry route does. The reading goes through one pipeline, once:
     * the serving version's own fitted pipeline when its archive carries one (the pipeline it was trained with, so
     * training and serving prepare data alike, and the pipeline and the model always come from the same version),
     * else {@code orElse} (the route's pipeline); with neither, the reading's values are the features. The model then
     * takes its input from the newest vector by the feature names of its {@code model.json} (or in their order).
     *
     * @param orElse the pipeline for a version that carries none, or null
     * @return the prediction and what the reading became; no output rows while the pipeline still fills a window.
     *     Fails with an {@link InferenceException}: bad input carries the reject reason when the pipeline refused the
     *     reading, or {@code MISSING_FIELD} when the vector lacks a feature the model takes
     */
    CompletionStage<ReadingPrediction> predict(String model, io.edgeai.api.reading.Reading reading,
            io.edgeai.api.preprocess.Pipeline orElse);

    /**
     * Asks a model for the outputs of one feature vector that a route's pipeline made: the model's input, taken by the
     * feature names of its {@code model.json} (or in the given order). A version that carries its own pipeline
     * refuses it (bad input) rather than feed its model data prepared another way: hand such a model the reading
     * ({@link #predict(String, io.edgeai.api.reading.Reading, io.edgeai.api.preprocess.Pipeline)}).
     *
     * @return the prediction; fails with an {@link InferenceException} ({@code MISSING_FIELD} when the vector lacks a
     *     feature the model takes)
     */
    CompletionStage<Prediction> predict(String model, io.edgeai.api.preprocess.Features features);

    /**
     * Scores readings with the serving version as it serves them, but as no traffic (not counted, not timed, not told
     * to {@link PredictionListener}s): for the gateway's own evaluations, e.g. comparing a freshly trained version
     * with the active one on held-out readings. The readings go, in order, through a fresh copy of the version's own
     * pipeline when it has one, then the model takes its input by the names in its {@code model.json} (or in the
     * readings' order).
     *
     * @return one output row per reading, empty for a reading that completed no feature vector or that the pipeline
     *     refused; the version that answered
     */
    CompletionStage<Prediction> evaluate(String model, java.util.List<io.edgeai.api.reading.Reading> readings);

    /** The serving version of a model and its counters, if one is loaded. */
    java.util.Optional<ServingStats> serving(String model);
}
