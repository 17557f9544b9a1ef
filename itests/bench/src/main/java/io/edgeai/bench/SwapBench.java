package io.edgeai.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Hot swaps under load: CLIENTS threads send predict requests of one row to URL at RATE requests/s in total (open
 * loop: latency counts from when a request was due), while the model's versions are swapped SWAPS times (promote the
 * other version, then roll back, alternately), one swap every SECONDS / (SWAPS + 1) seconds. Requests due from the
 * start of a swap to one second after it answered are "during swaps", the others "without"; 5 s of warm-up before
 * are not counted. Prints what was sent,
 * answered 200, failed (another status) and lost (no answer), and p50/p99 during and without swaps.
 *
 * <pre>SwapBench MODEL_URL WIDTH CLIENTS SECONDS RATE SWAPS VERSION_A VERSION_B</pre>
 */
public final class SwapBench {

    private SwapBench() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int width = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int swaps = Integer.parseInt(args[5]);
        String[] versions = {args[6], args[7]};
        StringBuilder row = new StringBuilder("{\"inputs\": [[");
        for (int i = 0; i < width; i++) {
            row.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", (i % 7 - 3) / 3.0));
        }
        byte[] body = row.append("]]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // 5 s of warm-up (connections, both JITs), not counted; then SECONDS measured
        long warmup = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long start = warmup + TimeUnit.SECONDS.toNanos(5);
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long interval = TimeUnit.SECONDS.toNanos(1) * clients / rate;
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        List<Future<long[][]>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long offset = interval * c / clients;
            results.add(pool.submit(() -> load(url, body, warmup + offset, end, interval)));
        }
        // the swaps: [start, answered] of each, nanoTime
        Future<long[][]> swapped = pool.submit(() -> swap(url, versions, start, end, swaps));
        long[][] windows = swapped.get();
        long sent = 0;
        long failed = 0;
        long lost = 0;
        List<Long> during = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        for (Future<long[][]> f : results) {
            long[][] r = f.get(); // per request: due, latency (-1: lost), status
            for (int i = 0; i < r[0].length; i++) {
                if (r[0][i] < start) {
                    continue; // warm-up
                }
                sent++;
                if (r[1][i] < 0) {
                    lost++;
                } else if (r[2][i] != 200) {
                    failed++;
                } else {
                    (inSwap(r[0][i], windows) ? during : without).add(r[1][i]);
                }
            }
        }
        pool.shutdown();
        double[] d = InferenceBench.percentiles(during);
        double[] w = InferenceBench.percentiles(without);
        long swapMillis = Arrays.stream(windows).mapToLong(s -> (s[1] - s[0]) / 1_000_000).max().orElse(0);
        System.out.printf(Locale.ROOT, "swaps %d (longest answer %d ms) at %d req/s: sent %d, ok %d, failed %d, lost"
                + " %d; during swaps n=%d p50 %.3f p99 %.3f; without n=%d p50 %.3f p99 %.3f; p99 during - without"
                + " %.3f ms%n", windows.length, swapMillis, rate, sent, during.size() + without.size(), failed, lost,
                during.size(), d[0], d[1], without.size(), w[0], w[1], d[1] - w[1]);
    }

    private static boolean inSwap(long due, long[][] windows) {
        for (long[] window : windows) {
            if (due >= window[0] && due <= window[1] + TimeUnit.SECONDS.toNanos(1)) {
                return true;
            }
        }
        return false;
    }

    /** One client's requests: due times, latencies (-1 when no answer came) and statuses. */
    private static long[][] load(String url, byte[] body, long first, long end, long interval) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/predict"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        int capacity = (int) ((end - first) / interval) + 2;
        long[][] out = new long[3][capacity];
        int n = 0;
        for (long due = first; due < end && n < capacity; due += interval, n++) {
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
            }
            out[0][n] = due;
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                out[1][n] = System.nanoTime() - due;
                out[2][n] = response.statusCode();
            } catch (Exception e) {
                out[1][n] = -1;
            }
        }
        return new long[][] {Arrays.copyOf(out[0], n), Arrays.copyOf(out[1], n), Arrays.copyOf(out[2], n)};
    }

    /** Promotes the other version, then rolls back, alternately; each swap's start and answer, nanoTime. */
    private static long[][] swap(String url, String[] versions, long start, long end, int swaps) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long every = (end - start) / (swaps + 1);
        long[][] windows = new long[swaps][];
        for (int s = 0; s < swaps; s++) {
            long due = start + every * (s + 1);
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
            }
            String path = s % 2 == 0 ? "/versions/" + versions[1] + "/promote" : "/rollback";
            long begun = System.nanoTime();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(url + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            windows[s] = new long[] {begun, System.nanoTime()};
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("swap " + path + ": HTTP " + answer.statusCode() + " "
                        + answer.body());
            }
        }
        return windows;
    }
}
