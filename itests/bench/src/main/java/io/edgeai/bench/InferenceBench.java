package io.edgeai.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Inference throughput and latency, the gateway beside a raw DJL predictor.
 *
 * <pre>
 * InferenceBench raw MODEL_DIR WIDTH SECONDS BATCH...         one thread, predictor.predict in a tight loop per batch size
 * InferenceBench http URL WIDTH CLIENTS SECONDS [RATE]        POST {"inputs": [[one row]]} to URL/predict:
 *                                                             closed loop (each client waits for its answer), or
 *                                                             open loop at RATE requests/s in total;
 *                                                             -Dbatch=32: rows per request; -DexplainEvery=10: every
 *                                                             10th request of each client asks explain=true (their
 *                                                             latencies printed apart; 1: every request)
 * </pre>
 *
 * Prints one line per measurement: {@code <what> rows/s <n> p50 <ms> p99 <ms>}.
 */
public final class InferenceBench {

    private InferenceBench() {
    }

    public static void main(String[] args) throws Exception {
        if ("raw".equals(args[0])) {
            raw(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray());
        } else {
            http(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    args.length > 5 ? Integer.parseInt(args[5]) : 0);
        }
    }

    private static void raw(Path dir, int width, int seconds, int[] batches) throws Exception {
        // -Dcallers=N: N threads at once, each with its own predictor (as the gateway's batch workers)
        int callers = Integer.getInteger("callers", 1);
        try (Model model = Model.newInstance("model", Device.cpu(), "PyTorch")) {
            model.load(dir, "model");
            List<Predictor<NDList, NDList>> predictors = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                predictors.add(model.newPredictor(new NoopTranslator()));
            }
            try {
                Random random = new Random(1);
                for (int batch : batches) {
                    float[] input = new float[batch * width];
                    for (int i = 0; i < input.length; i++) {
                        input[i] = (float) random.nextGaussian();
                    }
                    ExecutorService pool = Executors.newFixedThreadPool(callers);
                    List<Future<long[]>> runs = new ArrayList<>();
                    for (Predictor<NDList, NDList> predictor : predictors) {
                        runs.add(pool.submit(() -> {
                            run(model, predictor, input, batch, width, 2); // warm-up
                            return run(model, predictor, input, batch, width, seconds);
                        }));
                    }
                    long calls = 0;
                    long nanos = 0;
                    for (Future<long[]> run : runs) {
                        long[] stats = run.get();
                        calls += stats[0];
                        nanos = Math.max(nanos, stats[1]);
                    }
                    pool.shutdown();
                    double rate = calls * (double) batch / (nanos / 1e9);
                    System.out.printf(Locale.ROOT, "raw batch=%d callers=%d rows/s %.0f per-batch-ms %.3f%n", batch,
                            callers, rate, nanos / 1e6 / (calls / (double) callers));
                }
            } finally {
                predictors.forEach(Predictor::close);
            }
        }
    }

    /** {calls, nanos} of forward passes over `seconds`; the output is read back as the gateway does. */
    private static long[] run(Model model, Predictor<NDList, NDList> predictor, float[] input, int batch, int width,
            int seconds) throws Exception {
        long calls = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDArray x = manager.create(input, new Shape(batch, width));
                float[] y = predictor.predict(new NDList(x)).head().toFloatArray();
                if (y.length == 0) {
                    throw new IllegalStateException("no output");
                }
            }
            calls++;
        }
        return new long[] {calls, System.nanoTime() - start};
    }

    private static void http(String url, int width, int clients, int seconds, int rate) throws Exception {
        int batch = Integer.getInteger("batch", 1);
        int explainEvery = Integer.getInteger("explainEvery", 0);
        StringBuilder rows = new StringBuilder("{\"inputs\": [");
        Random random = new Random(2);
        for (int r = 0; r < batch; r++) {
            rows.append(r == 0 ? "[" : ",[");
            for (int i = 0; i < width; i++) {
                rows.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", random.nextGaussian()));
            }
            rows.append(']');
        }
        byte[] body = rows.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long start = warmupEnd;
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) * clients / rate : 0;
        List<Future<long[][]>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long offset = interval * c / clients;
            int first = c; // clients take their explained turns at different times
            results.add(pool.submit(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                HttpRequest[] requests = new HttpRequest[2];
                for (int explained = 0; explained < 2; explained++) {
                    requests[explained] = HttpRequest.newBuilder(URI.create(url + "/predict"
                            + (explained == 1 ? "?explain=true" : ""))).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
                }
                long[][] latencies = {new long[2_000_000], new long[2_000_000]};
                int[] n = new int[2];
                long errors = 0;
                long next = System.nanoTime() + offset;
                for (long turn = first; ; turn++) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        break;
                    }
                    if (interval > 0) {
                        if (now < next) {
                            java.util.concurrent.locks.LockSupport.parkNanos(next - now);
                        }
                        now = next; // open loop: latency counts from when the request was due
                        next += interval;
                    }
                    int kind = explainEvery > 0 && turn % explainEvery == 0 ? 1 : 0;
                    HttpResponse<String> response = client.send(requests[kind], HttpResponse.BodyHandlers.ofString());
                    long done = System.nanoTime();
                    if (response.statusCode() != 200) {
                        errors++;
                    } else if (now >= start && n[kind] < latencies[kind].length) {
                        latencies[kind][n[kind]++] = done - now;
                    }
                }
                return new long[][] {{errors}, Arrays.copyOf(latencies[0], n[0]), Arrays.copyOf(latencies[1], n[1])};
            }));
        }
        List<Long> plain = new ArrayList<>();
        List<Long> explained = new ArrayList<>();
        long errors = 0;
        for (Future<long[][]> f : results) {
            long[][] r = f.get();
            errors += r[0][0];
            Arrays.stream(r[1]).forEach(plain::add);
            Arrays.stream(r[2]).forEach(explained::add);
        }
        pool.shutdown();
        double[] p = percentiles(plain);
        System.out.printf(Locale.ROOT, "gateway clients=%d rate=%s rows/s %.0f p50 %.3f p99 %.3f errors %d", clients,
                rate > 0 ? Integer.toString(rate) : "closed", (plain.size() + explained.size()) * batch
                / (double) seconds, p[0], p[1], errors);
        if (explainEvery > 0) {
            double[] e = percentiles(explained);
            System.out.printf(Locale.ROOT, " explained n=%d p50 %.3f p99 %.3f (plain n=%d)", explained.size(), e[0],
                    e[1], plain.size());
        }
        System.out.println();
    }

    /** The 50th and 99th percentiles of latencies in nanoseconds, in milliseconds (0 when there are none). */
    static double[] percentiles(List<Long> latencies) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0 ? new double[2] : new double[] {sorted[sorted.length / 2] / 1e6,
            sorted[(int) (sorted.length * 0.99)] / 1e6};
    }
}
