package io.edgeai.training.internal;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;

/** A trained model's answers in tests, through a DJL predictor as serving runs it. */
final class Forecasts implements AutoCloseable {

    private final TrainingRun.Result result;
    private final Predictor<NDList, NDList> predictor;

    Forecasts(TrainingRun.Result result) {
        this.result = result;
        this.predictor = result.model().newPredictor(new NoopTranslator());
    }

    float[][] predict(float[][] rows) throws TranslateException {
        try (NDManager manager = result.model().getNDManager().newSubManager()) {
            int width = rows[0].length;
            float[] flat = new float[rows.length * width];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(rows[i], 0, flat, i * width, width);
            }
            NDList out = predictor.predict(new NDList(manager.create(flat, new Shape(rows.length, width))));
            float[] values = out.head().toFloatArray();
            int outWidth = values.length / rows.length;
            float[][] answer = new float[rows.length][outWidth];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(values, i * outWidth, answer[i], 0, outWidth);
            }
            return answer;
        }
    }

    static float[][] predict(TrainingRun.Result result, float[][] rows) throws TranslateException {
        return ReferenceData.predict(result, rows);
    }

    @Override
    public void close() {
        predictor.close();
    }
}
