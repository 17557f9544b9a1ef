package io.edgeai.inference.internal;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.inference.Explanation;
import io.edgeai.api.model.ModelSpec;
import io.edgeai.djl.explain.IntegratedGradients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-input attributions of a serving version's answers: Integrated Gradients for the blocks the gateway trains (DJL
 * format: 50 steps, one batched forward and backward pass), occlusion for TorchScript (DJL runs it without gradients:
 * each input set to its baseline value in turn, all in one forward pass). The baseline is the mean input of the rows
 * the version was trained on (the mean of its reference.json quantiles, in the model's input space: after the fitted
 * pipeline), else zeros. For a model with several outputs the explained one is the row's largest (a classifier's
 * answer).
 */
final class Explainer {

    static final int STEPS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(Explainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Model model;
    private final ModelSpec spec;
    private final List<String> names;
    private final float[] baseline;

    Explainer(Model model, ModelSpec spec, Path directory) {
        this.model = model;
        this.spec = spec;
        List<String> given = spec.inputFeatures();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < spec.inputSize(); i++) {
            made.add(given != null && given.size() == spec.inputSize() ? given.get(i) : "x" + i);
        }
        this.names = List.copyOf(made);
        this.baseline = baseline(directory, spec.inputSize());
    }

    /** Mean of each input's quantiles in reference.json (the training rows), or zeros without it. */
    private static float[] baseline(Path directory, int width) {
        float[] mean = new float[width];
        Path file = directory == null ? null : directory.resolve("reference.json");
        if (file == null || !Files.isRegularFile(file)) {
            return mean;
        }
        try {
            JsonNode inputs = JSON.readTree(file.toFile()).path("inputs");
            int i = 0;
            for (JsonNode quantiles : inputs) {
                if (i == width) {
                    break;
                }
                double sum = 0;
                for (JsonNode q : quantiles) {
                    sum += q.asDouble();
                }
                mean[i++] = quantiles.size() == 0 ? 0f : (float) (sum / quantiles.size());
            }
        } catch (IOException e) {
            LOG.warn("{}: unreadable ({}); explanations use a zero baseline", file, e.getMessage());
        }
        return mean;
    }

    Explanation explain(float[] row) throws Exception {
        if (row.length != spec.inputSize()) {
            throw new IllegalArgumentException("a row of " + row.length + " values; the model takes "
                    + spec.inputSize());
        }
        if (ModelSpec.DJL.equals(spec.format())) {
            int output = spec.outputSize() > 1 ? argmax(forward(new float[][] {row})[0]) : 0;
            IntegratedGradients.Attribution a = IntegratedGradients.explain(model.getBlock(), model.getNDManager(),
                    row, baseline, STEPS, output);
            return new Explanation("integrated-gradients", names, a.attributions(), output, a.output(),
                    a.baseline(), baseline.clone(), a.completenessError());
        }
        int width = row.length;
        float[][] rows = new float[width + 2][];
        rows[0] = row;
        rows[1] = baseline;
        for (int i = 0; i < width; i++) {
            rows[i + 2] = row.clone();
            rows[i + 2][i] = baseline[i];
        }
        float[][] out = forward(rows);
        int output = spec.outputSize() > 1 ? argmax(out[0]) : 0;
        float[] attributions = new float[width];
        for (int i = 0; i < width; i++) {
            attributions[i] = out[0][output] - out[i + 2][output];
        }
        return new Explanation("occlusion", names, attributions, output, out[0][output], out[1][output],
                baseline.clone(), null);
    }

    private float[][] forward(float[][] rows) throws Exception {
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            return DjlModels.forward(model, predictor, spec, rows);
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }
}
