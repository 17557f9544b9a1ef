package io.edgeai.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

/**
 * The load generator: {@code clients} devices, each its own UDP endpoint, each posting confirmable JSON readings one
 * after the other for {@code seconds}; the same for every target. Prints messages/s and latency percentiles.
 *
 * <pre>CoapLoad name=url [name=url ...] clients seconds warmup-seconds</pre>
 *
 * Targets are run one after the other, interleaved round by round, so that both see the same machine.
 */
public final class CoapLoad {

    private static final byte[] READING = "{\"values\": {\"temperature\": 21.5, \"humidity\": 40.2}}".getBytes();

    private CoapLoad() {
    }

    record Result(String name, long count, long failures, double seconds, long[] latenciesNanos) {
        double rate() {
            return count / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, index)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        CoapConfig.register();
        UdpConfig.register();
        Configuration.setStandard(Configuration.createStandardWithoutFile());
        int n = args.length;
        int clients = Integer.parseInt(args[n - 3]);
        double seconds = Double.parseDouble(args[n - 2]);
        double warmup = Double.parseDouble(args[n - 1]);
        for (String target : Arrays.copyOf(args, n - 3)) {
            String[] nameUrl = target.split("=", 2);
            run(nameUrl[0], nameUrl[1], clients, warmup); // warm-up, not reported
            Result r = run(nameUrl[0], nameUrl[1], clients, seconds);
            System.out.printf("%-8s clients=%d  %9.0f msg/s  p50 %6.3f ms  p99 %6.3f ms  failures %d%n", r.name(),
                    clients, r.rate(), r.percentileMillis(0.50), r.percentileMillis(0.99), r.failures());
        }
    }

    static Result run(String name, String url, int clients, double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong failures = new AtomicLong();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String deviceUrl = url + "/telemetry/bench" + c;
            futures.add(pool.submit(() -> {
                CoapEndpoint endpoint = CoapEndpoint.builder().build();
                CoapClient client = new CoapClient(deviceUrl).setEndpoint(endpoint).setTimeout(5000L);
                long[] latencies = new long[1 << 16];
                int count = 0;
                try {
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        CoapResponse response = client.post(READING, MediaTypeRegistry.APPLICATION_JSON);
                        long t1 = System.nanoTime();
                        if (response == null || response.getCode() != ResponseCode.CHANGED) {
                            failures.incrementAndGet();
                            continue;
                        }
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = t1 - t0;
                    }
                } finally {
                    client.shutdown();
                    endpoint.destroy();
                }
                return Arrays.copyOf(latencies, count);
            }));
        }
        long[] all = new long[0];
        for (Future<long[]> f : futures) {
            long[] part = f.get();
            long[] merged = Arrays.copyOf(all, all.length + part.length);
            System.arraycopy(part, 0, merged, all.length, part.length);
            all = merged;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(all);
        return new Result(name, all.length, failures.get(), elapsed, all);
    }
}
