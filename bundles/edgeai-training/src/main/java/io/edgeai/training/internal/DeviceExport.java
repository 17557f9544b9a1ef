package io.edgeai.training.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained model in the device format (docs/models.md, "The device format"), for a device with no ML framework: the
 * dense layers' weights and biases as one flat little-endian float32 blob ({@code weights.bin}) and a JSON header
 * ({@code device.json}) with the layers' shapes, activations and offsets into the blob, what the output is made of,
 * and the fitted pipeline's constants as steps a device runs on the values it reads. Made for the architectures the
 * gateway trains (linear, mlp, mlp-classifier, autoencoder) and pipelines of steps that keep no per-device state
 * (reject-non-finite, bounds, zscore, minmax, robust; training-only steps are left out); for anything else there is
 * no device format, and {@link Unsupported} says why.
 */
final class DeviceExport {

    /** The header's {@code format}. */
    static final String FORMAT = "edgeai-device/1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SCALERS = Set.of("zscore", "minmax", "robust");
    private static final Set<String> TRAINING_ONLY = Set.of("jitter", "scaling", "magnitude-warp", "time-warp",
            "window-slice");

    /** Why a model has no device format. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    /** The header's bytes and the blob's. */
    record Files(byte[] header, byte[] weights) {
    }

    private DeviceExport() {
    }

    /**
     * The device format of a trained model.
     *
     * @param result the trained model (its serving block's parameters, in order, are the dense layers' weights and
     *     biases)
     * @param architecture the architecture's settings ({@code name}, {@code hidden}, {@code activation})
     * @param inputs the model's input width
     * @param inputNames the model's inputs by name (the pipeline's outputs), in order; may be empty
     * @param pipeline the fitted pipeline as the archive holds it ({@code pipeline.json}), or null
     * @param pipelineInputs the values the pipeline takes (what the device reads), when there is a pipeline
     */
    static Files write(TrainingRun.Result result, Map<String, Object> architecture, int inputs,
            List<String> inputNames, byte[] pipeline, List<String> pipelineInputs) throws Unsupported {
        String name = String.valueOf(architecture.get("name"));
        List<Integer> widths = new ArrayList<>();
        Object hidden = architecture.get("hidden");
        if (hidden instanceof List<?> list) {
            for (Object width : list) {
                widths.add(((Number) width).intValue());
            }
        }
        String output;
        switch (name) {
            case "linear" -> {
                widths.add(result.servedOutputs());
                output = "identity";
            }
            case "mlp" -> {
                widths.add(result.servedOutputs());
                output = "identity";
            }
            case "mlp-classifier" -> {
                widths.add(result.servedOutputs());
                output = "softmax";
            }
            case "autoencoder" -> {
                for (int i = widths.size() - 2; i >= 0; i--) {
                    widths.add(widths.get(i));
                }
                widths.add(inputs);
                output = "reconstruction-mse";
            }
            default -> throw new Unsupported("architecture '" + name + "' has no device format (the device format"
                    + " covers linear, mlp, mlp-classifier and autoencoder)");
        }
        List<float[]> arrays = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (Pair<String, Parameter> parameter : result.model().getBlock().getParameters()) {
            NDArray array = parameter.getValue().getArray();
            shapes.add(array.getShape().getShape());
            arrays.add(array.getDataType() == DataType.FLOAT32 ? array.toFloatArray()
                    : array.toType(DataType.FLOAT32, false).toFloatArray());
        }
        if (arrays.size() != 2 * widths.size()) {
            throw new Unsupported("the model holds " + arrays.size() + " parameter arrays, not the weights and bias"
                    + " of " + widths.size() + " dense layers");
        }
        String activation = String.valueOf(architecture.getOrDefault("activation", "relu"));
        List<Map<String, Object>> layers = new ArrayList<>();
        int offset = 0;
        int in = inputs;
        for (int layer = 0; layer < widths.size(); layer++) {
            int out = widths.get(layer);
            long[] weight = shapes.get(2 * layer);
            long[] bias = shapes.get(2 * layer + 1);
            if (weight.length != 2 || weight[0] != out || weight[1] != in || bias.length != 1 || bias[0] != out) {
                throw new Unsupported("layer " + layer + ": weights " + java.util.Arrays.toString(weight) + " and bias "
                        + java.util.Arrays.toString(bias) + ", expected [" + out + ", " + in + "] and [" + out + "]");
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("in", in);
            entry.put("out", out);
            entry.put("activation", layer == widths.size() - 1 ? "identity" : activation);
            entry.put("weights", offset);
            entry.put("bias", offset + out * in);
            layers.add(entry);
            offset += out * in + out;
            in = out;
        }
        ByteBuffer blob = ByteBuffer.allocate(offset * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] array : arrays) {
            for (float value : array) {
                blob.putFloat(value);
            }
        }
        byte[] weights = blob.array();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", FORMAT);
        header.put("architecture", name);
        header.put("values", pipeline == null ? inputNames : pipelineInputs);
        header.put("inputs", inputNames);
        header.put("pipeline", pipeline == null ? List.of() : steps(pipeline));
        header.put("layers", layers);
        header.put("output", output);
        header.put("outputs", "reconstruction-mse".equals(output) ? 1 : result.servedOutputs());
        header.put("weights", Map.of("file", "weights.bin", "floats", offset, "byteOrder", "little-endian",
                "sha256", sha256(weights)));
        try {
            return new Files(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(header), weights);
        } catch (IOException e) {
            throw new IllegalStateException("a header of plain values always writes", e);
        }
    }

    /** The pipeline's steps as a device runs them, with their fitted constants. */
    private static List<Map<String, Object>> steps(byte[] pipeline) throws Unsupported {
        Map<?, ?> archive;
        try {
            archive = JSON.readValue(pipeline, Map.class);
        } catch (IOException e) {
            throw new Unsupported("the pipeline cannot be read: " + e.getMessage());
        }
        List<?> definitions = (List<?>) archive.get("steps");
        List<?> fitted = (List<?>) archive.get("fitted");
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int i = 0; i < definitions.size(); i++) {
            Map<?, ?> definition = (Map<?, ?>) definitions.get(i);
            String type = String.valueOf(definition.get("type"));
            Object features = definition.get("features");
            Map<String, Object> step = new LinkedHashMap<>();
            if (TRAINING_ONLY.contains(type)) {
                continue;
            } else if (type.equals("reject-non-finite")) {
                step.put("type", "reject-non-finite");
                step.put("features", features == null ? "all" : features);
            } else if (type.equals("bounds")) {
                String action = String.valueOf(definition.containsKey("action") ? definition.get("action")
                        : "reject");
                step.put("type", "clip".equals(action) ? "clip" : "reject-outside");
                step.put("features", features == null ? "all" : features);
                for (String bound : List.of("min", "max")) {
                    if (definition.get(bound) != null) {
                        step.put(bound, definition.get(bound));
                    }
                }
            } else if (SCALERS.contains(type)) {
                // (x - center) / scale, 0 where the scale is 0
                step.put("type", "scale");
                step.put("features", fitted.get(i));
            } else {
                throw new Unsupported("the pipeline's step " + (i + 1) + " ('" + type + "') has no device form (a"
                        + " device runs reject-non-finite, bounds, zscore, minmax and robust)");
            }
            steps.add(step);
        }
        return steps;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
