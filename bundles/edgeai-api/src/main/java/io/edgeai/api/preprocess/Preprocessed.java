package io.edgeai.api.preprocess;

import java.util.List;
import java.util.Objects;

/**
 * What one reading became.
 *
 * @param pipeline the pipeline's name
 * @param revision the revision of its definition that processed the reading (1 for the first one loaded)
 * @param features the feature vectors the reading completed, oldest first; empty while a window fills or the
 *     pipeline is still learning
 */
public record Preprocessed(String pipeline, long revision, List<Features> features) {

    public Preprocessed {
        Objects.requireNonNull(pipeline, "pipeline");
        features = List.copyOf(features);
    }
}
