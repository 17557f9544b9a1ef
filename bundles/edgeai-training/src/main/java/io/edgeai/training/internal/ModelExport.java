package io.edgeai.training.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A trained model as a model archive the registry takes like any upload: {@code model-0000.params} (DJL parameters)
 * and {@code model.json} with format {@code djl}, the architecture's settings, the shapes, input feature names,
 * metrics and lineage; {@code pipeline.json} when the job fitted a pipeline (and in
 * {@code model.json} {@code pipelineInputs}, the names of the values it takes); {@code reference.json}, what the model
 * was trained on, for drift monitoring; {@code device/device.json} and {@code device/weights.bin}, the model in the
 * device format ({@link DeviceExport}), when the architecture and the pipeline have one ({@code model.json}'s
 * {@code device} says which, or why not).
 */
final class ModelExport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where the device format is in the archive. */
    static final String DEVICE_HEADER = "device/device.json";
    static final String DEVICE_WEIGHTS = "device/weights.bin";

    private ModelExport() {
    }

    /** Writes the archive into {@code folder} and returns its path. */
    static Path write(TrainingRun.Result result, TrainSpec spec, int inputs, List<String> featureNames,
            Map<String, Double> metrics, Map<String, Object> lineage, byte[] pipeline, List<String> pipelineInputs,
            byte[] reference, Path folder)
            throws IOException {
        Path params = Files.createDirectories(folder.resolve("params"));
        result.model().save(params, "model");
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", "x");
        input.put("shape", List.of(-1, inputs));
        if (!featureNames.isEmpty()) {
            input.put("features", featureNames);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", ModelSpec.DJL);
        json.put("architecture", spec.architecture());
        json.put("inputs", List.of(input));
        json.put("outputs", List.of(Map.of("name", "y", "shape", List.of(-1, result.servedOutputs()))));
        if (pipeline != null && !pipelineInputs.isEmpty()) {
            json.put("pipelineInputs", pipelineInputs);
        }
        json.put("metrics", metrics);
        json.put("lineage", lineage);
        DeviceExport.Files device = null;
        try {
            device = DeviceExport.write(result, spec.architecture(), inputs, featureNames, pipeline, pipelineInputs);
            json.put("device", Map.of("format", DeviceExport.FORMAT, "header", DEVICE_HEADER, "weights",
                    DEVICE_WEIGHTS));
        } catch (DeviceExport.Unsupported e) {
            json.put("device", Map.of("unsupported", e.getMessage()));
        }
        Path archive = folder.resolve("model.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
            zip.putNextEntry(new ZipEntry("model.json"));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
            zip.closeEntry();
            if (pipeline != null) {
                zip.putNextEntry(new ZipEntry("pipeline.json"));
                zip.write(pipeline);
                zip.closeEntry();
            }
            if (reference != null) {
                zip.putNextEntry(new ZipEntry("reference.json"));
                zip.write(reference);
                zip.closeEntry();
            }
            if (device != null) {
                zip.putNextEntry(new ZipEntry(DEVICE_HEADER));
                zip.write(device.header());
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(DEVICE_WEIGHTS));
                zip.write(device.weights());
                zip.closeEntry();
            }
            List<Path> files = new ArrayList<>();
            try (Stream<Path> list = Files.list(params)) {
                list.filter(Files::isRegularFile).forEach(files::add);
            }
            for (Path file : files) {
                zip.putNextEntry(new ZipEntry(file.getFileName().toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return archive;
    }
}
