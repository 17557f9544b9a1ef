package io.edgeai.inference.internal;

import io.edgeai.api.inference.Prediction;
import io.edgeai.api.model.Lineage;
import io.edgeai.api.model.ModelSpec;
import io.edgeai.api.model.ModelState;
import io.edgeai.api.model.ModelVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The inference service without a transport: the gateway's own serving classes (ModelServer, Batcher, DjlModels,
 * built as InferenceComponent builds them) with CLIENTS threads each asking for one row at a time, as Camel routes
 * ({@code edgeai:infer}) and every connector do. Prints rows/s and the mean batch.
 *
 * <pre>ServiceBench MODEL_DIR WIDTH SECONDS CLIENTS MAX_BATCH WORKERS</pre>
 */
public final class ServiceBench {

    private ServiceBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int width = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        int maxBatch = Integer.parseInt(args[4]);
        int workers = Integer.parseInt(args[5]);
        ModelSpec spec = new ModelSpec(ModelSpec.TORCHSCRIPT, "x", width, List.of(), "y", 1, false);
        ai.djl.Model model = DjlModels.load(dir, spec, "cpu", null);
        Batcher batcher = new Batcher("bench-v1", 512, maxBatch, TimeUnit.MICROSECONDS.toNanos(1000),
                TimeUnit.MICROSECONDS.toNanos(200), workers, () -> DjlModels.runner(model, spec));
        ModelServer server = new ModelServer("bench");
        server.switchTo(new ServingVersion(new ModelVersion("bench", 1, ModelState.ACTIVE, spec, Instant.now(), "00",
                Map.of(), Lineage.uploaded()), batcher, maxBatch, model, null, 1, null, null));
        float[] row = new float[width];
        Random random = new Random(1);
        for (int i = 0; i < width; i++) {
            row[i] = (float) random.nextGaussian();
        }
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread client = new Thread(() -> {
                while (running.get()) {
                    try {
                        Prediction p = server.predict(new float[][] {row.clone()}).toCompletableFuture()
                                .get(30, TimeUnit.SECONDS);
                        if (measuring.get() && p.outputs().length == 1) {
                            done.increment();
                        }
                    } catch (Exception e) {
                        failed.increment();
                    }
                }
            });
            client.start();
            threads.add(client);
        }
        Thread.sleep(3000); // warm-up
        long batchesBefore = batcher.batches.sum();
        long rowsBefore = batcher.rows.sum();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long batches = batcher.batches.sum() - batchesBefore;
        long rows = batcher.rows.sum() - rowsBefore;
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        server.switchTo(null).close(10);
        System.out.printf(Locale.ROOT, "service clients=%d maxBatch=%d workers=%d rows/s %.0f mean-batch %.1f failed %d%n",
                clients, maxBatch, workers, done.sum() / elapsed, rows / (double) Math.max(1, batches), failed.sum());
    }
}
