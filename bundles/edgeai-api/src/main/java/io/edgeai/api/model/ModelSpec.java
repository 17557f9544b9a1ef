package io.edgeai.api.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model archive's {@code model.json} declares: the format, one input and one output, each a batch of vectors
 * ({@code shape [-1, n]}), optionally the names of the features the input takes (in order), metrics and lineage.
 *
 * @param format {@code torchscript}
 * @param inputName the input's name
 * @param inputSize n, the length of one input vector
 * @param inputFeatures the feature names the input takes, in order; empty when the input is taken as given
 * @param outputName the output's name
 * @param outputSize the length of one output vector
 * @param hasPipeline whether the archive carries a fitted preprocessing pipeline ({@code pipeline.json})
 */
public record ModelSpec(String format, String inputName, int inputSize, List<String> inputFeatures, String outputName,
        int outputSize, boolean hasPipeline) {

    public ModelSpec {
        Objects.requireNonNull(format, "format");
        inputFeatures = List.copyOf(inputFeatures);
        if (inputSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException("input and output sizes must be >= 1");
        }
        if (!inputFeatures.isEmpty() && inputFeatures.size() != inputSize) {
            throw new IllegalArgumentException(inputFeatures.size() + " feature names for an input of " + inputSize);
        }
    }

    /** As {@code model.json} writes it. */
    public Map<String, Object> toJson() {
        Map<String, Object> input = inputFeatures.isEmpty()
                ? Map.of("name", inputName, "shape", List.of(-1, inputSize))
                : Map.of("name", inputName, "shape", List.of(-1, inputSize), "features", inputFeatures);
        return Map.of("format", format, "inputs", List.of(input),
                "outputs", List.of(Map.of("name", outputName, "shape", List.of(-1, outputSize))));
    }
}
