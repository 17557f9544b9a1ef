package io.edgeai.training.internal;

import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.Pipelines;
import io.edgeai.api.preprocess.PreprocessException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether a freshly trained version beats the active one, both scored on the same held-out readings (those the job's
 * validation rows were made of), each through <em>its own</em> pipeline: the readings go in order through a fresh copy
 * of the new version's fitted pipeline into its model, and through the inference service to the active version as it
 * serves them (its own pipeline, as no traffic: drift and the serving counters do not see them). Both losses are
 * computed alike, on the readings both versions answered.
 *
 * @param better whether the new version's loss is lower
 * @param why the figures, for the job's outcome
 * @param freshLoss the new version's held-out loss (NaN when not compared)
 * @param activeLoss the active version's (NaN when not compared)
 * @param readings how many held-out readings both answered
 */
record Comparison(boolean better, String why, double freshLoss, double activeLoss, int readings) {

    private static final long TIMEOUT_MINUTES = 10;

    private static Comparison notCompared(String why) {
        return new Comparison(false, why, Double.NaN, Double.NaN, 0);
    }

    static Comparison of(TrainingRun.Result result, TrainingData data, Optional<ModelVersion> active,
            InferenceService inference, Pipelines pipelines, String model) {
        if (active.isEmpty()) {
            return new Comparison(true, "no active version; held-out loss " + format(result.bestLoss()),
                    result.bestLoss(), Double.NaN, 0);
        }
        if (inference == null) {
            return notCompared("inference is not running, the active version could not be compared");
        }
        TrainingData.Source source = data.readings();
        boolean[] held = new boolean[source.readings().size()];
        for (int row : result.validationRows()) {
            held[source.rowOf()[row]] = true;
        }
        float[][] fresh;
        float[][] current;
        try {
            fresh = freshOutputs(result, data, source, held, pipelines, model);
            Prediction answer = inference.evaluate(model, source.readings()).toCompletableFuture()
                    .get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            if (answer.version() != active.get().version()) {
                return notCompared("version " + answer.version() + " became active meanwhile; not compared");
            }
            current = answer.outputs();
        } catch (java.util.concurrent.ExecutionException e) {
            return notCompared("the active version " + active.get().version() + " could not be compared: "
                    + e.getCause().getMessage());
        } catch (Exception e) {
            return notCompared("the active version " + active.get().version() + " could not be compared: " + e);
        }
        double freshSum = 0;
        double currentSum = 0;
        int count = 0;
        for (int i = 0; i < held.length; i++) {
            if (held[i] && fresh[i] != null && fresh[i].length > 0 && current[i].length > 0) {
                float[] target = source.targets() == null ? null : source.targets()[i];
                freshSum += loss(result.loss(), fresh[i], target);
                currentSum += loss(result.loss(), current[i], target);
                count++;
            }
        }
        if (count == 0) {
            return notCompared("no held-out reading got an answer from both versions (their pipelines' windows?);"
                    + " not compared");
        }
        double freshLoss = freshSum / count;
        double currentLoss = currentSum / count;
        boolean better = freshLoss < currentLoss;
        return new Comparison(better, "held-out loss " + format(freshLoss) + (better ? " beats " : " does not beat ")
                + format(currentLoss) + " of active version " + active.get().version() + " (" + count
                + " held-out readings, each version through its own pipeline)", freshLoss, currentLoss, count);
    }

    /**
     * The new version's outputs for the held-out readings (null elsewhere): the readings in order through a fresh
     * copy of its fitted pipeline, as it will serve them (training-only steps left out), then its model.
     */
    private static float[][] freshOutputs(TrainingRun.Result result, TrainingData data, TrainingData.Source source,
            boolean[] held, Pipelines pipelines, String model) throws Exception {
        float[][] outputs = new float[held.length][];
        List<Integer> at = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        if (data.pipeline() == null) {
            boolean[] taken = new boolean[held.length];
            for (int row = 0; row < data.inputs().length; row++) {
                int reading = source.rowOf()[row];
                if (held[reading] && !taken[reading]) {
                    taken[reading] = true;
                    at.add(reading);
                    rows.add(data.inputs()[row]);
                }
            }
        } else {
            if (pipelines == null) {
                throw new IllegalStateException("preprocessing stopped (feature edgeai-preprocess)");
            }
            Pipeline pipeline = pipelines.restore(model + "-compared", data.pipeline());
            for (int i = 0; i < held.length; i++) {
                Features vector;
                try {
                    List<Features> out = pipeline.process(source.readings().get(i)).features();
                    vector = out.isEmpty() ? null : out.get(out.size() - 1);
                } catch (PreprocessException refused) {
                    vector = null;
                }
                if (held[i] && vector != null) {
                    at.add(i);
                    rows.add(select(vector, data.inputNames()));
                }
            }
        }
        if (!rows.isEmpty()) {
            float[][] answers = ReferenceData.predict(result, rows.toArray(new float[0][]));
            for (int i = 0; i < answers.length; i++) {
                outputs[at.get(i)] = answers[i];
            }
        }
        return outputs;
    }

    private static float[] select(Features vector, List<String> names) {
        if (names.isEmpty() || names.equals(vector.names())) {
            return vector.values();
        }
        float[] row = new float[names.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = vector.values()[vector.names().indexOf(names.get(i))];
        }
        return row;
    }

    /** One row's loss, as training computes it: an autoencoder serves the row's reconstruction error itself. */
    static double loss(String loss, float[] out, float[] target) {
        switch (loss) {
            case "cross-entropy":
                return -Math.log(Math.max(1e-12, out[(int) target[0]]));
            case "mae": {
                double sum = 0;
                for (int j = 0; j < out.length; j++) {
                    sum += Math.abs(out[j] - target[j]) / out.length;
                }
                return sum;
            }
            default: {
                if (target == null) {
                    return out[0];
                }
                double sum = 0;
                for (int j = 0; j < out.length; j++) {
                    sum += Math.pow(out[j] - target[j], 2) / out.length;
                }
                return sum;
            }
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
