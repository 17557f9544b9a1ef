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
import java.util.Arrays;
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
    /** Path points or variants computed in one pass at most (a batch of rows is explained in chunks of them). */
    static final int POINTS = 3200;
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

    /**
     * Each row's explanation, as few passes as the rows allow: integrated gradients of up to {@value #POINTS} path
     * points (rows times steps) in one forward and backward pass, occlusion of up to that many variants in one forward.
     */
    List<Explanation> explain(float[][] rows) throws Exception {
        for (float[] row : rows) {
            if (row.length != spec.inputSize()) {
                throw new IllegalArgumentException("a row of " + row.length + " values; the model takes "
                        + spec.inputSize());
            }
        }
        boolean gradients = ModelSpec.DJL.equals(spec.format());
        int chunk = Math.max(1, POINTS / (gradients ? STEPS : spec.inputSize() + 2));
        List<Explanation> all = new ArrayList<>(rows.length);
        for (int from = 0; from < rows.length; from += chunk) {
            float[][] some = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + chunk));
            all.addAll(gradients ? integratedGradients(some) : occlusion(some));
        }
        return all;
    }

    private List<Explanation> integratedGradients(float[][] rows) throws Exception {
        int[] outputs = new int[rows.length];
        if (spec.outputSize() > 1) {
            float[][] answers = forward(rows);
            for (int r = 0; r < rows.length; r++) {
                outputs[r] = argmax(answers[r]);
            }
        }
        IntegratedGradients.Attribution[] found = IntegratedGradients.explain(model.getBlock(),
                model.getNDManager(), rows, baseline, STEPS, outputs);
        List<Explanation> explained = new ArrayList<>(rows.length);
        for (int r = 0; r < rows.length; r++) {
            IntegratedGradients.Attribution a = found[r];
            explained.add(new Explanation("integrated-gradients", names, a.attributions(), outputs[r], a.output(),
                    a.baseline(), baseline.clone(), a.completenessError()));
        }
        return explained;
    }

    /** Each row, the baseline, and each row with one input at its baseline value in turn: one forward of them all. */
    private List<Explanation> occlusion(float[][] rows) throws Exception {
        int width = baseline.length;
        int per = width + 1;
        float[][] variants = new float[rows.length * per + 1][];
        variants[rows.length * per] = baseline;
        for (int r = 0; r < rows.length; r++) {
            variants[r * per] = rows[r];
            for (int i = 0; i < width; i++) {
                float[] occluded = rows[r].clone();
                occluded[i] = baseline[i];
                variants[r * per + 1 + i] = occluded;
            }
        }
        float[][] out = forward(variants);
        float[] atBaseline = out[rows.length * per];
        List<Explanation> explained = new ArrayList<>(rows.length);
        for (int r = 0; r < rows.length; r++) {
            float[] answer = out[r * per];
            int output = spec.outputSize() > 1 ? argmax(answer) : 0;
            float[] attributions = new float[width];
            for (int i = 0; i < width; i++) {
                attributions[i] = answer[output] - out[r * per + 1 + i][output];
            }
            explained.add(new Explanation("occlusion", names, attributions, output, answer[output],
                    atBaseline[output], baseline.clone(), null));
        }
        return explained;
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
