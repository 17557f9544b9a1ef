package io.edgeai.training.internal;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model was trained on, for drift monitoring ({@code reference.json} in the archive): for each input feature
 * and each output, {@value #POINTS} quantiles (0 to 1 in equal steps) of its values over the training rows, the
 * outputs as the trained model computes them.
 */
final class ReferenceData {

    static final int POINTS = 201;
    private static final int CHUNK = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceData() {
    }

    static byte[] json(TrainingRun.Result result, float[][] inputs, List<String> inputNames) throws IOException {
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("quantiles", POINTS);
        reference.put("inputs", columns(inputs, inputNames, "x"));
        try {
            reference.put("outputs", columns(predict(result, inputs), List.of(), "y"));
        } catch (TranslateException e) {
            throw new IOException("cannot compute the reference outputs: " + e.getMessage(), e);
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(reference);
    }

    private static Map<String, double[]> columns(float[][] rows, List<String> names, String prefix) {
        Map<String, double[]> columns = new LinkedHashMap<>();
        int width = rows[0].length;
        double[] column = new double[rows.length];
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < rows.length; r++) {
                column[r] = rows[r][c];
            }
            Arrays.sort(column);
            double[] q = new double[POINTS];
            for (int i = 0; i < POINTS; i++) {
                double position = i / (double) (POINTS - 1) * (column.length - 1);
                int below = (int) Math.floor(position);
                int above = Math.min(column.length - 1, below + 1);
                q[i] = column[below] + (position - below) * (column[above] - column[below]);
            }
            columns.put(names.size() == width ? names.get(c) : prefix + c, q);
        }
        return columns;
    }

    /** The trained model's outputs for rows, through a DJL predictor of its serving block, in chunks. */
    static float[][] predict(TrainingRun.Result result, float[][] rows) throws TranslateException {
        float[][] answer = new float[rows.length][];
        try (Predictor<NDList, NDList> predictor = result.model().newPredictor(new NoopTranslator())) {
            for (int from = 0; from < rows.length; from += CHUNK) {
                int to = Math.min(rows.length, from + CHUNK);
                int width = rows[from].length;
                float[] flat = new float[(to - from) * width];
                for (int i = from; i < to; i++) {
                    System.arraycopy(rows[i], 0, flat, (i - from) * width, width);
                }
                try (NDManager manager = result.model().getNDManager().newSubManager()) {
                    float[] values = predictor.predict(new NDList(manager.create(flat, new Shape(to - from, width))))
                            .head().toFloatArray();
                    int outWidth = values.length / (to - from);
                    for (int i = from; i < to; i++) {
                        answer[i] = Arrays.copyOfRange(values, (i - from) * outWidth, (i - from + 1) * outWidth);
                    }
                }
            }
        }
        return answer;
    }
}
