package io.edgeai.training.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/**
 * The device format of models the gateway trains: a device that knows only the format (the forward pass written here
 * from docs/models.md, no ML framework) computes what the gateway serves, to 1e-5, for every architecture.
 */
public class DeviceExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TrainingRun.Progress QUIET = (epoch, train, validation, rate) -> { };

    @Test
    public void everyArchitectureComputesWhatTheGatewayServes() throws Exception {
        Random random = new Random(3);
        int n = 200;
        float[][] x = new float[n][3];
        float[][] y = new float[n][1];
        float[][] classes = new float[n][1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i][0] = (float) (Math.sin(x[i][0]) + 0.5 * x[i][1] * x[i][2]);
            classes[i][0] = x[i][0] + x[i][1] > 0 ? 1 : 0;
        }
        Map<String, float[][]> targets = Map.of("linear", y, "mlp", y, "mlp-classifier", classes);
        for (TrainSpec spec : List.of(TrainSpec.of("linear", List.of()), withActivation(TrainSpec.of("mlp",
                List.of(8, 4)), "tanh"), TrainSpec.of("mlp-classifier", List.of(6)),
                withActivation(TrainSpec.of("autoencoder", List.of(4, 2)), "sigmoid"))) {
            spec = spec.withOptimizer(OptimizerSpec.of("adam", 0.01)).withRun(20, 32, 0, 0);
            String name = String.valueOf(spec.architecture().get("name"));
            try (TrainingRun.Result result = TrainingRun.train(spec, x, targets.get(name), Device.cpu(), QUIET,
                    () -> false)) {
                DeviceExport.Files files = DeviceExport.write(result, spec.architecture(), 3, List.of("a", "b", "c"),
                        null, List.of());
                JsonNode header = JSON.readTree(files.header());
                assertEquals(DeviceExport.FORMAT, header.get("format").asText());
                assertEquals(DeviceExport.sha256(files.weights()), header.get("weights").get("sha256").asText());
                assertEquals(files.weights().length, 4 * header.get("weights").get("floats").asInt());
                float[][] served = Forecasts.predict(result, x);
                for (int i = 0; i < n; i++) {
                    Map<String, Double> values = new LinkedHashMap<>();
                    values.put("a", (double) x[i][0]);
                    values.put("b", (double) x[i][1]);
                    values.put("c", (double) x[i][2]);
                    double[] device = device(header, files.weights(), values);
                    assertEquals(name, served[i].length, device.length);
                    for (int k = 0; k < device.length; k++) {
                        assertEquals(name + " row " + i, served[i][k], device[k], 1e-5 * Math.max(1, Math.abs(
                                served[i][k])));
                    }
                }
            }
        }
    }

    /** The fitted pipeline's constants go with the model: the device scales its readings as the gateway does. */
    @Test
    public void thePipelinesConstantsTravelWithTheModel() throws Exception {
        float[][] x = {{0.5f, -1}, {1, 0}, {2, 1}, {-1, 3}};
        TrainSpec spec = TrainSpec.of("linear", List.of()).withOptimizer(OptimizerSpec.of("sgd", 0.1))
                .withRun(5, 4, 0, 0);
        byte[] pipeline = ("{\"name\":\"p\",\"steps\":[{\"type\":\"reject-non-finite\"},{\"type\":\"bounds\","
                + "\"features\":[\"t\"],\"min\":-40,\"max\":85,\"action\":\"clip\"},{\"type\":\"jitter\"},"
                + "{\"type\":\"zscore\"}],\"fitted\":[{},{},{},{\"t\":[21.5,4.0],\"h\":[40.0,0.0]}]}")
                .getBytes(StandardCharsets.UTF_8);
        try (TrainingRun.Result result = TrainingRun.train(spec, x, new float[][] {{1}, {2}, {3}, {4}},
                Device.cpu(), QUIET, () -> false)) {
            DeviceExport.Files files = DeviceExport.write(result, spec.architecture(), 2, List.of("t", "h"),
                    pipeline, List.of("t", "h"));
            JsonNode header = JSON.readTree(files.header());
            assertEquals("training-only steps are left out", 3, header.get("pipeline").size());
            Map<String, Double> reading = new LinkedHashMap<>();
            reading.put("t", 100.0); // clipped to 85, then (85 - 21.5) / 4
            reading.put("h", 55.0); // a scale of 0 makes 0
            double expected = Forecasts.predict(result, new float[][] {{(85 - 21.5f) / 4, 0}})[0][0];
            assertEquals(expected, device(header, files.weights(), reading)[0], 1e-5);
        }
        byte[] stateful = ("{\"name\":\"p\",\"steps\":[{\"type\":\"window\",\"size\":4}],\"fitted\":[{}]}")
                .getBytes(StandardCharsets.UTF_8);
        try (TrainingRun.Result result = TrainingRun.train(spec, x, new float[][] {{1}, {2}, {3}, {4}},
                Device.cpu(), QUIET, () -> false)) {
            DeviceExport.Unsupported refused = assertThrows(DeviceExport.Unsupported.class, () -> DeviceExport.write(
                    result, spec.architecture(), 2, List.of("t", "h"), stateful, List.of("t", "h")));
            assertTrue(refused.getMessage(), refused.getMessage().contains("step 1 ('window') has no device form"));
        }
    }

    private static TrainSpec withActivation(TrainSpec spec, String activation) {
        Map<String, Object> architecture = new LinkedHashMap<>(spec.architecture());
        architecture.put("activation", activation);
        return new TrainSpec(architecture, spec.loss(), spec.optimizer(), spec.schedule(), spec.epochs(),
                spec.batchSize(), spec.validationSplit(), spec.patience(), spec.minDelta(), spec.seed());
    }

    /** What a device does with the format: the pipeline's steps, the dense layers, the output. */
    static double[] device(JsonNode header, byte[] weights, Map<String, Double> values) {
        ByteBuffer blob = ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Double> v = new LinkedHashMap<>(values);
        for (JsonNode step : header.get("pipeline")) {
            switch (step.get("type").asText()) {
                case "reject-non-finite" -> v.values().forEach(value -> assertTrue(Double.isFinite(value)));
                case "clip" -> step.get("features").forEach(f -> v.computeIfPresent(f.asText(), (k, value) ->
                        Math.min(step.get("max").asDouble(), Math.max(step.get("min").asDouble(), value))));
                case "scale" -> step.get("features").fields().forEachRemaining(f -> v.computeIfPresent(f.getKey(),
                        (k, value) -> f.getValue().get(1).asDouble() == 0 ? 0
                                : (value - f.getValue().get(0).asDouble()) / f.getValue().get(1).asDouble()));
                default -> throw new AssertionError("unknown step " + step);
            }
        }
        double[] input = new double[header.get("inputs").size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) (double) v.get(header.get("inputs").get(i).asText());
        }
        double[] a = input;
        for (JsonNode layer : header.get("layers")) {
            int in = layer.get("in").asInt();
            int out = layer.get("out").asInt();
            double[] next = new double[out];
            for (int o = 0; o < out; o++) {
                double sum = blob.getFloat(4 * (layer.get("bias").asInt() + o));
                for (int i = 0; i < in; i++) {
                    sum += blob.getFloat(4 * (layer.get("weights").asInt() + o * in + i)) * a[i];
                }
                next[o] = switch (layer.get("activation").asText()) {
                    case "relu" -> Math.max(0, sum);
                    case "tanh" -> Math.tanh(sum);
                    case "sigmoid" -> 1 / (1 + Math.exp(-sum));
                    default -> sum;
                };
            }
            a = next;
        }
        switch (header.get("output").asText()) {
            case "softmax" -> {
                double max = java.util.Arrays.stream(a).max().orElse(0);
                double total = 0;
                for (int i = 0; i < a.length; i++) {
                    a[i] = Math.exp(a[i] - max);
                    total += a[i];
                }
                for (int i = 0; i < a.length; i++) {
                    a[i] /= total;
                }
                return a;
            }
            case "reconstruction-mse" -> {
                double squares = 0;
                for (int i = 0; i < a.length; i++) {
                    squares += (a[i] - input[i]) * (a[i] - input[i]);
                }
                return new double[] {squares / a.length};
            }
            default -> {
                return a;
            }
        }
    }
}
