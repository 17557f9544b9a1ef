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
}
