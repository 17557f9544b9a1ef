package io.edgeai.api.inference;

import java.util.concurrent.CompletionStage;

/** Runs the active version of a named model; concurrent requests may be batched together. */
public interface InferenceService {

    /**
     * Asks a model for outputs.
     *
     * @param model the model name
     * @param inputs one row per sample, each as long as the model's input
     * @return the prediction, or a stage failed with an {@link InferenceException}
     */
    CompletionStage<Prediction> predict(String model, float[][] inputs);

    /**
     * Asks a model for the outputs of one feature vector (a reading, or what a pipeline made of it). The version that
     * answers first runs it through its own fitted pipeline when its archive has one, then takes its input by the
     * feature names of its {@code model.json} (or in the given order): training and serving prepare data alike, and
     * the pipeline and the model always come from the same version.
     *
     * @return the prediction; its outputs are empty while the version's pipeline still fills a window. Fails with an
     *     {@link InferenceException} (bad input carries the reject reason when the pipeline refused the vector)
     */
    CompletionStage<Prediction> predict(String model, io.edgeai.api.preprocess.Features features);

    /**
     * Asks the serving version for outputs as {@link #predict(String, float[][])} does, but as no traffic: not counted
     * in the serving counters or latencies and not told to {@link PredictionListener}s (drift, live accuracy). For the
     * gateway's own evaluations, e.g. comparing a freshly trained version with the active one on held-out rows.
     */
    default CompletionStage<Prediction> evaluate(String model, float[][] inputs) {
        return predict(model, inputs);
    }

    /** The serving version of a model and its counters, if one is loaded. */
    java.util.Optional<ServingStats> serving(String model);
}
