package io.edgeai.inference.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.inference.Prediction;
import io.edgeai.api.model.Lineage;
import io.edgeai.api.model.ModelSpec;
import io.edgeai.api.model.ModelState;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.model.RolloutStage;
import io.edgeai.api.model.TrialFigures;
import io.edgeai.api.preprocess.Features;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * A version on trial beside the serving one, with plain Java models (y = x + offset) so that every answer names who
 * computed it: a shadow answers nothing and is compared on every request; a canary answers a stable share of the
 * devices; a canary that fails hands the request back to the serving version, so no device request fails.
 */
public class TrialTest {

    private static final long MS = 1_000_000;

    private static ServingVersion version(int v, float offset, float failAbove) {
        ModelVersion version = new ModelVersion("m", v, ModelState.ACTIVE, new ModelSpec("torchscript", "x", 1,
                List.of("x"), "y", 1, false), Instant.now(), "00", Map.of(), Lineage.uploaded());
        Batcher.Runner runner = rows -> {
            float[][] out = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                if (rows[i][0] > failAbove) {
                    throw new IllegalStateException("cannot take " + rows[i][0]);
                }
                out[i] = new float[] {rows[i][0] + offset};
            }
            return out;
        };
        return new ServingVersion(version, new Batcher("m-v" + v, 1000, 1, MS, 1, () -> runner), 1, () -> { });
    }

    private static Prediction ask(ModelServer server, String device, float x) throws Exception {
        return server.predict(new Features(device, Instant.now(), List.of("x"), new float[] {x}))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Waits until the trial compared {@code n} requests (the comparison completes after the answer). */
    private static TrialFigures compared(ModelServer server, ServingVersion candidate, long n) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        TrialFigures figures = server.figures(candidate);
        while (figures.compared() < n && System.nanoTime() < until) {
            Thread.onSpinWait();
            figures = server.figures(candidate);
        }
        return figures;
    }

    @Test
    public void aShadowAnswersNothingAndIsComparedOnEveryRequest() throws Exception {
        ModelServer server = new ModelServer("m");
        server.switchTo(version(1, 0, Float.MAX_VALUE));
        ServingVersion candidate = version(2, 3, Float.MAX_VALUE);
        server.trial(candidate, RolloutStage.SHADOW, 0);
        for (int i = 0; i < 200; i++) {
            Prediction answer = ask(server, "d" + (i % 10), i % 10);
            assertEquals(1, answer.version());
            assertEquals(i % 10, answer.outputs()[0][0], 0);
        }
        TrialFigures figures = compared(server, candidate, 200);
        assertEquals(200, figures.requests());
        assertEquals(200, figures.compared());
        assertEquals(0, figures.candidateErrors());
        // the active outputs 0..9 have a standard deviation of 2.87; the candidate is 3 above on every one
        double sd = Math.sqrt(8.25 * 200 / 199);
        assertEquals(3 / sd, figures.outputDrift(), 1e-3);
        assertEquals(3 / sd, figures.outputBias(), 1e-3);
        assertTrue(figures.candidateP99Millis() >= 0 && figures.activeP99Millis() >= 0);
        server.endTrial(candidate);
        assertNull(server.figures(candidate));
        assertEquals(1, ask(server, "d1", 1).version());
        candidate.close(1);
        server.switchTo(null).close(1);
    }

    @Test
    public void aCanaryAnswersAStableShareOfTheDevices() throws Exception {
        ModelServer server = new ModelServer("m");
        server.switchTo(version(1, 0, Float.MAX_VALUE));
        ServingVersion candidate = version(2, 0.001f, Float.MAX_VALUE);
        server.trial(candidate, RolloutStage.CANARY, 0.3);
        Map<String, Integer> answeredBy = new HashMap<>();
        int canaries = 0;
        for (int round = 0; round < 3; round++) {
            for (int d = 0; d < 400; d++) {
                String device = "sensor-" + d;
                int by = ask(server, device, d).version();
                Integer before = answeredBy.put(device, by);
                assertTrue(device + " changed sides", before == null || before == by);
                assertEquals(device, Trial.bucket(device) < 0.3 ? 2 : 1, by);
                canaries += by == 2 ? 1 : 0;
            }
        }
        assertEquals("about 30 % of 400 devices, 3 times", 0.3, canaries / 1200.0, 0.06);
        TrialFigures figures = compared(server, candidate, canaries);
        assertEquals("the serving version computes the canary's requests beside it", canaries, figures.compared());
        assertEquals(1200, figures.requests());
        assertTrue("a tiny difference: " + figures.outputDrift(), figures.outputDrift() < 0.01);
        server.endTrial(candidate);
        candidate.close(1);
        server.switchTo(null).close(1);
    }

    @Test
    public void theCanaryShareIsTheDocumentedHashOfTheDeviceId() {
        // FNV-1a (64 bits) of the UTF-8 id, MurmurHash3 fmix64, its top 32 bits over 2^32: the value docs/models.md gives for "sensor-17"
        assertEquals(0.013665995560586452, Trial.bucket("sensor-17"), 1e-15);
        assertEquals(0.5102945175021887, Trial.bucket("a"), 1e-15);
    }

    @Test
    public void aFailingCanaryFailsNoDeviceRequest() throws Exception {
        ModelServer server = new ModelServer("m");
        server.switchTo(version(1, 0, Float.MAX_VALUE));
        ServingVersion candidate = version(2, 0, 50); // fails on inputs above 50
        server.trial(candidate, RolloutStage.CANARY, 1.0);
        ExecutorService devices = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Prediction>> answers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int x = i % 100;
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ask(server, "d" + x, x);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, devices));
        }
        for (int i = 0; i < answers.size(); i++) {
            Prediction answer = answers.get(i).get(10, TimeUnit.SECONDS); // none fails
            assertEquals(i % 100, answer.outputs()[0][0], 0);
            assertEquals("answered by the canary unless it failed", i % 100 > 50 ? 1 : 2, answer.version());
        }
        devices.shutdown();
        TrialFigures figures = compared(server, candidate, 400);
        assertEquals(4 * 49, figures.candidateErrors());
        assertEquals(4 * 49 / 400.0, figures.errorRate(), 1e-9);
        // the trial ends while nothing waits: the serving version answers every device again
        server.endTrial(candidate);
        candidate.close(1);
        assertEquals(1, ask(server, "d60", 60).version());
        assertNotNull(server.current());
        server.switchTo(null).close(1);
    }
}
