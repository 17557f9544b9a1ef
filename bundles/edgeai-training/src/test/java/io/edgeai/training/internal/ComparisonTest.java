package io.edgeai.training.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.djl.Device;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.inference.ServingStats;
import io.edgeai.api.model.ModelSpec;
import io.edgeai.api.model.ModelState;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.PipelineFit;
import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.Pipelines;
import io.edgeai.api.preprocess.Preprocessed;
import io.edgeai.api.reading.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.Test;

/**
 * Auto-promote's comparison scores each version on the same raw held-out readings through its own pipeline: the
 * reported losses equal what this test computes for each version, also when the two pipelines differ (the active
 * version was once scored on the new version's preprocessed rows, and a worse version could win).
 */
public class ComparisonTest {

    /** y = u / 10 + 1 for u in [0, 100): 200 readings with one value, u. */
    private static final int N = 200;

    /**
     * A pipeline as a model archive carries it, here "scale:&lt;divisor&gt;[:window]": u becomes u / divisor; with
     * window, a device's first reading completes nothing (as a window filling would).
     */
    private static final class ScalingPipelines implements Pipelines {
        @Override
        public List<PipelineStatus> list() {
            return List.of();
        }

        @Override
        public Optional<PipelineStatus> status(String name) {
            return Optional.empty();
        }

        @Override
        public Pipeline restore(String name, byte[] serialized) {
            String[] parts = new String(serialized, StandardCharsets.UTF_8).split(":");
            return scaling(Double.parseDouble(parts[1]), parts.length > 2);
        }

        @Override
        public PipelineFit fit(String definition, List<Reading> training) {
            throw new UnsupportedOperationException();
        }
    }

    static Pipeline scaling(double divisor, boolean window) {
        return new Pipeline() {
            private boolean first = true;

            @Override
            public String name() {
                return "scale";
            }

            @Override
            public Preprocessed process(Reading reading) {
                if (window && first) {
                    first = false;
                    return new Preprocessed("scale", 1, List.of());
                }
                float z = (float) (reading.values().get("u") / divisor);
                return new Preprocessed("scale", 1, List.of(new Features(reading.deviceId(), reading.timestamp(),
                        List.of("z"), new float[] {z})));
            }

            @Override
            public PipelineStatus status() {
                return null;
            }
        };
    }

    /** The active version as the inference service serves it: its own pipeline (u / 50), then y = a z + b. */
    private static final class Active implements InferenceService {
        final double a;
        final double b;

        Active(double a, double b) {
            this.a = a;
            this.b = b;
        }

        float[] answer(Reading reading) {
            return new float[] {(float) (a * (reading.values().get("u") / 50) + b)};
        }

        @Override
        public CompletionStage<Prediction> predict(String model, float[][] inputs, boolean skipPipeline) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Prediction> predict(String model, Features features) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<io.edgeai.api.inference.ReadingPrediction> predict(String model,
                io.edgeai.api.reading.Reading reading, io.edgeai.api.preprocess.Pipeline orElse) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Prediction> evaluate(String model, List<Reading> readings) {
            return CompletableFuture.completedFuture(new Prediction(model, 1, readings.stream().map(this::answer)
                    .toArray(float[][]::new)));
        }

        @Override
        public Optional<ServingStats> serving(String model) {
            return Optional.empty();
        }
    }

    private static TrainingData data(String pipeline) {
        List<Reading> readings = new ArrayList<>();
        float[][] targets = new float[N][];
        float[][] inputs = new float[N][];
        int[] rowOf = new int[N];
        for (int i = 0; i < N; i++) {
            double u = (i * 37) % 100 + 0.5;
            readings.add(new Reading("training", Instant.ofEpochSecond(i), Map.of("u", u)));
            targets[i] = new float[] {(float) (u / 10 + 1)};
            inputs[i] = new float[] {(float) (u / 100)};
            rowOf[i] = i;
        }
        return new TrainingData(inputs, targets, List.of("z"), pipeline.getBytes(StandardCharsets.UTF_8),
                Instant.ofEpochSecond(0), Instant.ofEpochSecond(N - 1), new TrainingData.Source(readings, targets,
                rowOf));
    }

    private static TrainingRun.Result train(TrainingData data, int epochs, double rate) {
        TrainSpec spec = TrainSpec.of("linear", List.of()).withOptimizer(OptimizerSpec.of("sgd", rate))
                .withRun(epochs, 40, 0.25, 0);
        return TrainingRun.train(spec, data.inputs(), data.targets(), Device.cpu(), (e, t, v, r) -> { },
                () -> false);
    }

    private static Optional<ModelVersion> activeVersion() {
        return Optional.of(new ModelVersion("m", 1, ModelState.ACTIVE, new ModelSpec(ModelSpec.TORCHSCRIPT, "x", 1,
                List.of(), "y", 1, true), Instant.now(), "00", Map.of(), null));
    }

    /** The test's own figures: each version's mean squared error on the held-out readings both answered. */
    private static double[] expected(TrainingRun.Result result, TrainingData data, Active active, double divisor,
            boolean window) throws Exception {
        boolean[] held = new boolean[N];
        for (int row : result.validationRows()) {
            held[row] = true;
        }
        double fresh = 0;
        double current = 0;
        int count = 0;
        for (int i = 0; i < N; i++) {
            if (!held[i] || (window && i == 0)) {
                continue;
            }
            Reading reading = data.source().readings().get(i);
            float z = (float) (reading.values().get("u") / divisor);
            float y = data.source().targets()[i][0];
            fresh += Math.pow(ReferenceData.predict(result, new float[][] {{z}})[0][0] - y, 2);
            current += Math.pow(active.answer(reading)[0] - y, 2);
            count++;
        }
        return new double[] {fresh / count, current / count, count};
    }

    @Test
    public void eachVersionIsScoredOnTheSameRawReadingsThroughItsOwnPipeline() throws Exception {
        TrainingData data = data("scale:100");
        Active active = new Active(4.0, 1.5); // u / 50 * 4 + 1.5 = u / 12.5 + 1.5: off from u / 10 + 1
        try (TrainingRun.Result result = train(data, 400, 0.5)) {
            Comparison comparison = Comparison.of(result, data, activeVersion(), active, new ScalingPipelines(), "m");
            double[] expected = expected(result, data, active, 100, false);
            assertEquals(comparison.why(), expected[0], comparison.freshLoss(), 1e-6 * expected[0] + 1e-9);
            assertEquals(comparison.why(), expected[1], comparison.activeLoss(), 1e-6 * expected[1]);
            assertEquals(result.validationRows().length, comparison.readings());
            assertEquals((int) expected[2], comparison.readings());
            assertTrue(comparison.why(), comparison.better());
            assertTrue(comparison.why(), comparison.why().contains("of active version 1")
                    && comparison.why().contains(comparison.readings() + " held-out readings"));
        }
    }

    @Test
    public void aWorseVersionIsNotPromotedAndWindowsAreComparedWhereBothAnswered() throws Exception {
        TrainingData data = data("scale:100:window");
        Active exact = new Active(5.0, 1.0); // u / 50 * 5 + 1 = u / 10 + 1: the truth
        try (TrainingRun.Result result = train(data, 1, 0.001)) {
            Comparison comparison = Comparison.of(result, data, activeVersion(), exact, new ScalingPipelines(), "m");
            double[] expected = expected(result, data, exact, 100, true);
            assertFalse(comparison.why(), comparison.better());
            assertEquals(comparison.why(), expected[0], comparison.freshLoss(), 1e-6 * expected[0]);
            assertEquals(0.0, comparison.activeLoss(), 1e-9);
            assertEquals((int) expected[2], comparison.readings());
            assertTrue(comparison.why(), comparison.why().contains("does not beat"));
        }
    }

    @Test
    public void withoutAnActiveVersionTheNewOneWins() {
        TrainingData data = data("scale:100");
        try (TrainingRun.Result result = train(data, 1, 0.001)) {
            Comparison comparison = Comparison.of(result, data, Optional.empty(), null, null, "m");
            assertTrue(comparison.better());
            assertTrue(comparison.why(), comparison.why().startsWith("no active version"));
        }
    }
}
