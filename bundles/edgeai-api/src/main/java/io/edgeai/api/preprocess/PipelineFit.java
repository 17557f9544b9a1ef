package io.edgeai.api.preprocess;

import java.util.List;

/**
 * A pipeline fitted on training readings for a model.
 *
 * @param serialized the pipeline as a model archive carries it ({@code pipeline.json}: definition and what its steps
 *     learned); {@link Pipelines#restore} makes it serve
 * @param features what the training readings became with every step, training-only ones (augmentation) included,
 *     oldest first: the rows the model learns from
 * @param refused training readings a step refused (left out of what followed)
 */
public record PipelineFit(byte[] serialized, List<Features> features, long refused) {

    public PipelineFit {
        serialized = serialized.clone();
        features = List.copyOf(features);
    }

    @Override
    public byte[] serialized() {
        return serialized.clone();
    }
}
