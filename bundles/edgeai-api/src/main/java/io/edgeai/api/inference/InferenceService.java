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

    /** The serving version of a model and its counters, if one is loaded. */
    java.util.Optional<ServingStats> serving(String model);
}
