package io.edgeai.inference.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.model.Lineage;
import io.edgeai.api.model.ModelSpec;
import io.edgeai.api.model.ModelState;
import io.edgeai.api.model.ModelVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.Test;

/**
 * The batching and swapping logic with a plain Java model (y = x + version) instead of DJL, so that every answer can
 * be attributed: batches gather concurrent requests within their limits, a full queue refuses at once, and swapping
 * versions under load fails and loses nothing.
 */
public class BatchingAndSwapTest {

    private static final long MS = 1_000_000;

    private static ModelVersion version(int v) {
        return new ModelVersion("m", v, ModelState.ACTIVE, new ModelSpec("torchscript", "x", 2, List.of(), "y", 2,
                false), Instant.now(), "00", Map.of(), Lineage.uploaded());
    }

    /** y = x + offset, row by row; records the batch sizes. */
    private static Batcher.Runner plus(float offset, List<Integer> sizes) {
        return rows -> {
            sizes.add(rows.length);
            float[][] out = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                out[i] = new float[] {rows[i][0] + offset, rows[i][1] + offset};
            }
            return out;
        };
    }

    private static ServingVersion serving(int v, int maxRows, List<Integer> sizes) {
        return new ServingVersion(version(v), new Batcher("m-v" + v, 1000, maxRows, 2 * MS, 1,
                () -> plus(v, sizes)), maxRows, () -> { });
    }

    @Test
    public void concurrentRequestsAreBatchedWithinTheLimits() throws Exception {
        List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ModelServer server = new ModelServer("m");
        server.switchTo(serving(1, 8, sizes));
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<Prediction>> answers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            float x = i;
            answers.add(clients.submit(() -> server.predict(new float[][] {{x, -x}}).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)));
        }
        for (int i = 0; i < answers.size(); i++) {
            Prediction p = answers.get(i).get();
            assertEquals(1, p.version());
            assertEquals(i + 1f, p.outputs()[0][0], 0);
            assertEquals(-i + 1f, p.outputs()[0][1], 0);
        }
        clients.shutdown();
        assertEquals(400, sizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue("never more than 8 rows: " + sizes, sizes.stream().allMatch(s -> s <= 8));
        assertTrue("concurrent requests share batches: " + sizes.size() + " batches", sizes.size() < 400);
        server.switchTo(null).close(5);
    }

    @Test
    public void aFullQueueRefusesAtOnceAndQueuedRequestsStillComplete() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Batcher.Runner blocked = rows -> {
            release.await();
            return rows;
        };
        ServingVersion v = new ServingVersion(version(1), new Batcher("m-v1", 4, 1, 0, 1, () -> blocked), 1, () -> { });
        ModelServer server = new ModelServer("m");
        server.switchTo(v);
        List<CompletableFuture<Prediction>> accepted = new ArrayList<>();
        InferenceException refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            CompletableFuture<Prediction> f = server.predict(new float[][] {{i, i}}).toCompletableFuture();
            if (f.isCompletedExceptionally()) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    refused = (InferenceException) e.getCause();
                }
            } else {
                accepted.add(f);
            }
        }
        assertEquals(InferenceException.Reason.OVERLOADED, refused.reason());
        assertEquals(1, refused.retryAfterSeconds()); // the default wait, told to the sender
        assertTrue(accepted.size() >= 4 && accepted.size() <= 6); // 4 queued, 1 taken by the worker (+1 carried)
        release.countDown();
        for (CompletableFuture<Prediction> f : accepted) {
            assertEquals(1, f.get(5, TimeUnit.SECONDS).version());
        }
        InferenceException wide = cause(server.predict(new float[][] {{1, 2, 3}}));
        assertEquals(InferenceException.Reason.BAD_INPUT, wide.reason());
        assertEquals(InferenceException.Reason.BAD_INPUT, cause(server.predict(new float[][] {{Float.NaN, 1}}))
                .reason());
        server.switchTo(null).close(5);
        assertEquals(InferenceException.Reason.UNKNOWN_MODEL, cause(server.predict(new float[][] {{1, 2}})).reason());
    }

    private static InferenceException cause(java.util.concurrent.CompletionStage<Prediction> stage) {
        try {
            stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return (InferenceException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Eight clients send without pause while versions 1 and 2 take turns 30 times, each previous version draining
     * and closing: every request is answered, none fails, and each answer is x + the version it names.
     */
    @Test
    public void swappingVersionsUnderLoadFailsAndLosesNothing() throws Exception {
        List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ModelServer server = new ModelServer("m");
        server.switchTo(serving(1, 16, sizes));
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<int[]>> counts = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            counts.add(clients.submit(() -> {
                int sent = 0;
                int answered = 0;
                while (running.get()) {
                    float x = sent++;
                    try {
                        Prediction p = server.predict(new float[][] {{x, x}}).toCompletableFuture()
                                .get(10, TimeUnit.SECONDS);
                        answered++;
                        if (p.outputs()[0][0] != x + p.version()) {
                            wrong.add("version " + p.version() + " gave " + p.outputs()[0][0] + " for " + x);
                        }
                    } catch (ExecutionException e) {
                        wrong.add(e.getCause().toString());
                    }
                }
                return new int[] {sent, answered};
            }));
        }
        for (int swap = 0; swap < 30; swap++) {
            ServingVersion previous = server.switchTo(serving(swap % 2 == 0 ? 2 : 1, 16, sizes));
            previous.close(10);
        }
        running.set(false);
        clients.shutdown();
        assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
        int sent = 0;
        int answered = 0;
        for (Future<int[]> f : counts) {
            sent += f.get()[0];
            answered += f.get()[1];
        }
        assertTrue(wrong.size() + " wrong, e.g. " + wrong.peek(), wrong.isEmpty());
        assertEquals(sent, answered);
        assertEquals("every request computed once", sent, sizes.stream().mapToInt(Integer::intValue).sum());
        server.switchTo(null).close(5);
    }

    /**
     * New settings while eight clients send without pause: the version gets a new batcher 20 times (limits 2 and 8 in
     * turn), each replaced one draining: every request is answered once, none fails, the counts go on from batcher to
     * batcher, and the last limit is the one requests meet.
     */
    @Test
    public void rebatchingUnderLoadFailsAndLosesNothingAndCountsOn() throws Exception {
        List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServingVersion v = serving(1, 8, sizes);
        ModelServer server = new ModelServer("m");
        server.switchTo(v);
        AtomicBoolean running = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<Integer>> sent = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            sent.add(clients.submit(() -> {
                int n = 0;
                while (running.get()) {
                    float x = n++;
                    try {
                        Prediction p = server.predict(new float[][] {{x, x}}).toCompletableFuture()
                                .get(10, TimeUnit.SECONDS);
                        answered.incrementAndGet();
                        if (p.outputs()[0][0] != x + 1) {
                            wrong.add("gave " + p.outputs()[0][0] + " for " + x);
                        }
                    } catch (ExecutionException e) {
                        wrong.add(e.getCause().toString());
                    }
                }
                return n;
            }));
        }
        int limit = 8;
        for (int change = 0; change < 20; change++) {
            long seen = answered.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (answered.get() < seen + 20 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // requests flow between two changes
            }
            limit = change % 2 == 0 ? 2 : 8;
            Batcher next = new Batcher("m-v1", 1000, limit, 2 * MS, 2 * MS, 2, () -> plus(1, sizes), v.batcher());
            ServingVersion.closeBatcher(v.rebatch(new ServingVersion.Lane(next, limit, 3)), 10);
        }
        running.set(false);
        clients.shutdown();
        assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
        int total = 0;
        for (Future<Integer> f : sent) {
            total += f.get();
        }
        assertTrue(wrong.size() + " failed or wrong, e.g. " + wrong.peek(), wrong.isEmpty());
        assertEquals(total, answered.get());
        assertEquals("every request computed once", total, sizes.stream().mapToInt(Integer::intValue).sum());
        assertEquals("counted across the batchers", total, v.batcher().requests.sum());
        assertEquals(8, limit); // the last change: 8 rows
        assertEquals(8, v.batcherMaxRows());
        InferenceException wide = cause(server.predict(new float[9][2]));
        assertEquals(InferenceException.Reason.BAD_INPUT, wide.reason());
        assertTrue(wide.getMessage(), wide.getMessage().contains("at most 8"));
        server.switchTo(null).close(5);
        // a version closed meanwhile does not take a new batcher: the caller closes it
        Batcher late = new Batcher("m-v1", 10, 2, MS, MS, 1, () -> plus(1, sizes), null);
        org.junit.Assert.assertSame(late, v.rebatch(new ServingVersion.Lane(late, 2, 1)));
        ServingVersion.closeBatcher(late, 1);
    }

    @Test
    public void evaluationsAreNeitherCountedNorBatchedWithTraffic() throws Exception {
        List<String> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        Batcher.Runner runner = new Batcher.Runner() {
            @Override
            public float[][] run(float[][] rows) {
                return rows;
            }

            @Override
            public float[][] run(float[][] rows, boolean traffic) {
                batches.add((traffic ? "traffic " : "evaluation ") + rows.length);
                return rows;
            }
        };
        Batcher batcher = new Batcher("m-v1", 100, 64, 20 * MS, 1, () -> runner);
        List<CompletableFuture<float[][]>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            CompletableFuture<float[][]> result = new CompletableFuture<>();
            batcher.submit(new float[][] {{i}}, result, i % 2 == 0);
            results.add(result);
        }
        for (int i = 0; i < 6; i++) {
            assertEquals(i, results.get(i).get(5, TimeUnit.SECONDS)[0][0], 0);
        }
        batcher.close(5, TimeUnit.SECONDS);
        assertTrue(batches.toString(), batches.stream().noneMatch(b -> b.endsWith(" 0")));
        assertEquals(batches.toString(), 3, batches.stream().filter(b -> b.startsWith("traffic")).mapToInt(
                b -> Integer.parseInt(b.split(" ")[1])).sum());
        assertEquals(batches.toString(), 3, batches.stream().filter(b -> b.startsWith("evaluation")).mapToInt(
                b -> Integer.parseInt(b.split(" ")[1])).sum());
        assertEquals("evaluations are not requests", 3, batcher.requests.sum());
        assertEquals(3, batcher.rows.sum());
    }
}
