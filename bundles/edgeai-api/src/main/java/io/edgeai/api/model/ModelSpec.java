package io.edgeai.api.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model archive's {@code model.json} declares: the format, one input and one output, each a batch of vectors
 * ({@code shape [-1, n]}), optionally the names of the features the input takes (in order), metrics and lineage.
 *
 * @param format {@code torchscript} ({@code model.pt}) or {@code djl} (DJL parameters, {@code model-0000.params}, of a
 *     named architecture)
 * @param inputName the input's name
 * @param inputSize n, the length of one input vector
 * @param inputFeatures the feature names the input takes, in order; empty when the input is taken as given
 * @param outputName the output's name
 * @param outputSize the length of one output vector
 * @param hasPipeline whether the archive carries a fitted preprocessing pipeline ({@code pipeline.json})
 * @param architecture for {@code djl}: the architecture and its settings ({@code {"name":"mlp","hidden":[32]}}) that
 *     rebuild the block the parameters belong to; empty for TorchScript
 * @param pipelineInputs with a pipeline: the names of the reading's values it takes, in order ({@code model.json}
 *     {@code "pipelineInputs"}), so that a row of numbers can be fed through it; empty when not declared
 */
public record ModelSpec(String format, String inputName, int inputSize, List<String> inputFeatures, String outputName,
        int outputSize, boolean hasPipeline, Map<String, Object> architecture, List<String> pipelineInputs) {

    /** The format whose file holds the whole network (TorchScript). */
    public static final String TORCHSCRIPT = "torchscript";
    /** DJL parameters of a named architecture. */
    public static final String DJL = "djl";

    public ModelSpec {
        Objects.requireNonNull(format, "format");
        inputFeatures = List.copyOf(inputFeatures);
        pipelineInputs = pipelineInputs == null ? List.of() : List.copyOf(pipelineInputs);
        architecture = architecture == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(architecture));
        if (inputSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException("input and output sizes must be >= 1");
        }
        if (!inputFeatures.isEmpty() && inputFeatures.size() != inputSize) {
            throw new IllegalArgumentException(inputFeatures.size() + " feature names for an input of " + inputSize);
        }
    }

    /** A spec without an architecture (TorchScript). */
    public ModelSpec(String format, String inputName, int inputSize, List<String> inputFeatures, String outputName,
            int outputSize, boolean hasPipeline) {
        this(format, inputName, inputSize, inputFeatures, outputName, outputSize, hasPipeline, Map.of(), List.of());
    }

    /** As {@code model.json} writes it. */
    public Map<String, Object> toJson() {
        Map<String, Object> input = inputFeatures.isEmpty()
                ? Map.of("name", inputName, "shape", List.of(-1, inputSize))
                : Map.of("name", inputName, "shape", List.of(-1, inputSize), "features", inputFeatures);
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("format", format);
        if (!architecture.isEmpty()) {
            json.put("architecture", architecture);
        }
        json.put("inputs", List.of(input));
        json.put("outputs", List.of(Map.of("name", outputName, "shape", List.of(-1, outputSize))));
        if (!pipelineInputs.isEmpty()) {
            json.put("pipelineInputs", pipelineInputs);
        }
        return json;
    }
}
