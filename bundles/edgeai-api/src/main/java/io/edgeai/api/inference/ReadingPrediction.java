package io.edgeai.api.inference;

import io.edgeai.api.preprocess.Preprocessed;

/**
 * A model's answer to one device reading, and what the reading became on the way.
 *
 * @param prediction the answering version's outputs for the newest feature vector the reading completed (one row),
 *     or no rows while a pipeline still fills a window
 * @param preprocessed the pipeline that made the model's input of the reading (the version's own, else the one the
 *     caller named) with its revision and the vectors it made; null when no pipeline ran and the reading's values
 *     were the input
 * @param threshold the answering version's anomaly threshold (a {@code threshold} among its metrics, as the gateway's
 *     trained anomaly models have), or null
 */
public record ReadingPrediction(Prediction prediction, Preprocessed preprocessed, Double threshold) {

    public ReadingPrediction {
        java.util.Objects.requireNonNull(prediction, "prediction");
    }
}
