package io.edgeai.inference.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.inference.ReadingPrediction;
import io.edgeai.api.model.Lineage;
import io.edgeai.api.model.ModelSpec;
import io.edgeai.api.model.ModelState;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Preprocessed;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.RejectReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/**
 * A version that carries a pipeline applies it on every request: rows of numbers are readings for it (by the names
 * in pipelineInputs), each request one sequence through a fresh copy; skipPipeline hands the rows to the model; an
 * evaluation scores readings as serving would, without touching the devices' live pipeline.
 */
public class VersionPipelineTest {

    /**
     * The pipeline: per device, a sliding window of two readings, emitting the mean of {@code p} and of {@code q} times
     * 10 once it is full; {@code p} above 100 is refused.
     */
    private static Pipeline windowOfTwo(AtomicInteger copies) {
        copies.incrementAndGet();
        return new Pipeline() {
            private final Map<String, List<Reading>> windows = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public String name() {
                return "window";
            }

            @Override
            public Preprocessed process(Reading reading) throws PreprocessException {
                if (reading.values().get("p") > 100) {
                    throw new PreprocessException(RejectReason.OUT_OF_RANGE, "bounds", "p above 100");
                }
                List<Reading> window = windows.computeIfAbsent(reading.deviceId(), d -> new ArrayList<>());
                window.add(reading);
                if (window.size() > 2) {
                    window.remove(0);
                }
                if (window.size() < 2) {
                    return new Preprocessed("window", 1, List.of());
                }
                float p = (float) window.stream().mapToDouble(r -> r.values().get("p")).average().orElseThrow();
                float q = (float) window.stream().mapToDouble(r -> r.values().get("q") * 10).average().orElseThrow();
                return new Preprocessed("window", 1, List.of(new Features(reading.deviceId(), reading.timestamp(),
                        List.of("q10", "p"), new float[] {q, p})));
            }

            @Override
            public PipelineStatus status() {
                return null;
            }
        };
    }

    /** The model: y = first input - second input, taking features [p, q10] by name. */
    private static ServingVersion serving(AtomicInteger copies) {
        ModelSpec spec = new ModelSpec("torchscript", "x", 2, List.of("p", "q10"), "y", 1, true, Map.of(),
                List.of("q", "p"));
        ModelVersion version = new ModelVersion("m", 1, ModelState.ACTIVE, spec, Instant.now(), "00", Map.of(),
                Lineage.uploaded());
        Batcher batcher = new Batcher("m-v1", 100, 8, 0, 1, () -> rows -> {
            float[][] out = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                out[i] = new float[] {rows[i][0] - rows[i][1]};
            }
            return out;
        });
        return new ServingVersion(version, batcher, 8, () -> { }, () -> windowOfTwo(copies), 1, null, null);
    }

    private static Prediction get(CompletionStage<Prediction> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static InferenceException refusal(CompletionStage<Prediction> stage) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(stage));
        return (InferenceException) e.getCause();
    }

    @Test
    public void rowsAreReadingsForTheVersionsPipelineEachRequestASequenceOfItsOwn() throws Exception {
        AtomicInteger copies = new AtomicInteger();
        ModelServer server = new ModelServer("m");
        server.switchTo(serving(copies));
        // rows are [q, p]: (q, p) = (1, 20), (3, 40) → window means p 30, q10 20 → y = 30 - 20
        Prediction answer = get(server.predict(new float[][] {{1, 20}, {3, 40}, {5, 60}}, false));
        assertEquals(3, answer.outputs().length);
        assertArrayEquals("the first row only starts the window", new float[0], answer.outputs()[0], 0);
        assertArrayEquals(new float[] {10}, answer.outputs()[1], 0);
        assertArrayEquals(new float[] {50 - 40}, answer.outputs()[2], 0);
        // a request of one row starts afresh: nothing of the last request's window remains
        assertArrayEquals(new float[0], get(server.predict(new float[][] {{1, 20}}, false)).outputs()[0], 0);
        assertEquals("one fresh copy per request, besides the devices' own", 3, copies.get());

        // skipPipeline: the model's own inputs, [p, q10]
        assertArrayEquals(new float[] {7}, get(server.predict(new float[][] {{10, 3}}, true)).outputs()[0], 0);

        InferenceException width = refusal(server.predict(new float[][] {{1, 2, 3}}, false));
        assertEquals(InferenceException.Reason.BAD_INPUT, width.reason());
        assertTrue(width.getMessage(), width.getMessage().contains("takes [q, p]"));
        InferenceException bounds = refusal(server.predict(new float[][] {{1, 20}, {1, 500}}, false));
        assertEquals(RejectReason.OUT_OF_RANGE, bounds.refusal());
        assertTrue(bounds.getMessage(), bounds.getMessage().startsWith("input row 1: ")
                && bounds.getMessage().contains("its pipeline's step bounds"));
    }

    @Test
    public void anEvaluationScoresReadingsAsServingWouldAndLeavesTheDevicesPipelineAlone() throws Exception {
        AtomicInteger copies = new AtomicInteger();
        ModelServer server = new ModelServer("m");
        ServingVersion version = serving(copies);
        server.switchTo(version);
        // a device's live stream: its first reading fills the window
        Reading live = new Reading("dev", Instant.ofEpochSecond(1), Map.of("p", 20.0, "q", 1.0));
        assertEquals(0, get(server.predict(live, null).thenApply(ReadingPrediction::prediction)).outputs().length);

        List<Reading> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // 20 readings, more than one batch of 8; one refused by the pipeline
            held.add(new Reading("dev", Instant.ofEpochSecond(100 + i), Map.of("p", i == 5 ? 500.0 : i, "q", 1.0)));
        }
        Prediction scored = get(server.evaluate(held));
        assertEquals(20, scored.outputs().length);
        assertEquals(0, scored.outputs()[0].length);
        assertEquals("refused: no score", 0, scored.outputs()[5].length);
        assertArrayEquals("the refused reading did not enter the window", new float[] {(4 + 6) / 2f - 10},
                scored.outputs()[6], 0);
        assertArrayEquals(new float[] {(float) (2.5 - 10)}, scored.outputs()[3], 0);
        assertArrayEquals(new float[] {(float) (18.5 - 10)}, scored.outputs()[19], 0);

        // the device's live window still holds only its own reading: its next one completes it
        Reading next = new Reading("dev", Instant.ofEpochSecond(2), Map.of("p", 40.0, "q", 3.0));
        assertArrayEquals(new float[] {30 - 20}, get(server.predict(next, null).thenApply(
                ReadingPrediction::prediction)).outputs()[0], 0);
        assertEquals("evaluations are no traffic", 1, version.batcher().requests.sum());
    }

    /**
     * A device reading goes through one pipeline, once: the version's own when it carries one (the route's pipeline
     * is not run then), else the route's, else none; features another pipeline made are refused by a version with
     * its own pipeline rather than fed to its model.
     */
    @Test
    public void aReadingGoesThroughTheVersionsOwnPipelineOrElseTheRoutesOnce() throws Exception {
        AtomicInteger routes = new AtomicInteger();
        Pipeline route = windowOfTwo(routes);
        AtomicInteger copies = new AtomicInteger();
        ModelServer own = new ModelServer("m");
        own.switchTo(serving(copies));
        Reading first = new Reading("dev", Instant.ofEpochSecond(1), Map.of("p", 20.0, "q", 1.0));
        Reading second = new Reading("dev", Instant.ofEpochSecond(2), Map.of("p", 40.0, "q", 3.0));
        ReadingPrediction filling = own.predict(first, route).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("window", filling.preprocessed().pipeline());
        assertEquals(0, filling.prediction().outputs().length);
        ReadingPrediction answered = own.predict(second, route).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertArrayEquals(new float[] {30 - 20}, answered.prediction().outputs()[0], 0);
        assertEquals(List.of("q10", "p"), answered.preprocessed().features().get(0).names());
        Features made = answered.preprocessed().features().get(0);
        InferenceException features = refusal(own.predict(made));
        assertTrue(features.getMessage(), features.getMessage().contains("carries its own pipeline"));

        // a version without a pipeline: the route's pipeline makes its input; without one, the reading's values
        ModelServer plain = new ModelServer("plain");
        ModelSpec spec = new ModelSpec("torchscript", "x", 2, List.of("p", "q10"), "y", 1, true, Map.of(), List.of());
        plain.switchTo(new ServingVersion(new ModelVersion("plain", 1, ModelState.ACTIVE, spec, Instant.now(), "00",
                Map.of("threshold", 2.5), Lineage.uploaded()), new Batcher("plain-v1", 100, 8, 0, 1, () -> rows -> {
                    float[][] out = new float[rows.length][];
                    for (int i = 0; i < rows.length; i++) {
                        out[i] = new float[] {rows[i][0] + rows[i][1]};
                    }
                    return out;
                }), 8, () -> { }));
        assertEquals(0, plain.predict(first, route).toCompletableFuture().get(10, TimeUnit.SECONDS).prediction()
                .outputs().length);
        ReadingPrediction routed = plain.predict(second, route).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertArrayEquals(new float[] {30 + 20}, routed.prediction().outputs()[0], 0);
        assertEquals("window", routed.preprocessed().pipeline());
        assertEquals("the answering version's threshold comes with its answer", 2.5, routed.threshold(), 0);
        assertEquals(null, answered.threshold());
        Reading raw = new Reading("dev", Instant.ofEpochSecond(3), Map.of("q10", 5.0, "p", 1.0));
        ReadingPrediction direct = plain.predict(raw, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertArrayEquals(new float[] {6}, direct.prediction().outputs()[0], 0);
        assertEquals(null, direct.preprocessed());
        assertArrayEquals("features taken by name", new float[] {30 + 20}, get(plain.predict(made)).outputs()[0], 0);
        // the route's pipeline refuses: the reason, the pipeline and its step
        ExecutionException refused = assertThrows(ExecutionException.class, () -> plain.predict(new Reading("dev",
                Instant.ofEpochSecond(4), Map.of("p", 500.0, "q", 1.0)), route).toCompletableFuture().get(10,
                TimeUnit.SECONDS));
        InferenceException e = (InferenceException) refused.getCause();
        assertEquals(RejectReason.OUT_OF_RANGE, e.refusal());
        assertEquals("pipeline 'window', step bounds: p above 100", e.getMessage());
    }
}
