package io.edgeai.api.reading;

import io.edgeai.api.inference.Prediction;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.anomaly.AnomalyVerdict;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway made of one reading, as it travels between bundles: typed, never JSON text. A connector turns it
 * into its protocol's payload at the edge (one writer for JSON: {@code io.edgeai.connector.support.ResultJson}); Camel converts
 * it to that JSON too ({@code ${bodyAs(String)}}).
 *
 * @param reading the reading as the gateway understood it
 * @param pipeline the pipeline that processed it, or null when none did
 * @param pipelineRevision the pipeline's revision, or null
 * @param features the feature vectors the pipeline made of it, oldest first: none while a window fills
 * @param prediction the bound model's answer, or null
 * @param threshold the answering version's anomaly threshold, or null
 * @param verdict the anomaly watch's verdict, or null
 */
public record Result(Reading reading, String pipeline, Long pipelineRevision, List<Features> features,
        Prediction prediction, Double threshold, AnomalyVerdict verdict) {

    public Result {
        java.util.Objects.requireNonNull(reading, "reading");
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** A reading no pipeline processed, with the watch's verdict (or none). */
    public static Result acknowledged(Reading reading, AnomalyVerdict verdict) {
        return new Result(reading, null, null, List.of(), null, null, verdict);
    }

    public String deviceId() {
        return reading.deviceId();
    }

    /** The newest feature vector the reading completed, if any. */
    public Optional<Features> newestFeatures() {
        return features.isEmpty() ? Optional.empty() : Optional.of(features.get(features.size() - 1));
    }

    /** The model's outputs for the newest vector, if a model answered with any. */
    public Optional<float[]> outputs() {
        if (prediction == null || prediction.outputs().length == 0) {
            return Optional.empty();
        }
        return Optional.of(prediction.outputs()[prediction.outputs().length - 1]);
    }
}
