package io.edgeai.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The one load generator for every protocol: {@code clients} devices, each with its own connection, each sending a
 * JSON reading and waiting for the answer before the next, for {@code seconds}; the same for every target. Prints
 * messages/s and latency percentiles of the exchange (request to answer).
 *
 * <pre>
 * Load coap name=coap://host:port ...                      POST /telemetry/bench{n}, answer 2.04
 * Load http name=http://host:port ...                      POST /api/v1/telemetry/bench{n}, answer 200
 * Load mqtt name=tcp://[user:password@]host:port|pub|sub[|qos[|persistent]]   publish (QoS 1) on pub, answer on sub
 *   ({n} = client); persistent: sessions the broker keeps, so that the subscriptions are durable
 *   ... clients seconds warmup-seconds
 * </pre>
 *
 * Targets take turns, so that all see the same machine: first a warm-up of each, then the measurement in slices
 * ({@code -Dbench.slice=2} seconds), each round starting with the next target; a target's figures add up its slices.
 */
public final class Load {

    /** Plain TCP sockets with TCP_NODELAY. */
    static final class NoDelaySocketFactory extends javax.net.SocketFactory {
        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            java.net.Socket socket = new java.net.Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            java.net.Socket socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            java.net.Socket socket = new java.net.Socket(host, port, local, localPort);
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            java.net.Socket socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local,
                int localPort) throws java.io.IOException {
            java.net.Socket socket = new java.net.Socket(address, port, local, localPort);
            socket.setTcpNoDelay(true);
            return socket;
        }
    }

    static final byte[] READING = "{\"values\": {\"temperature\": 21.5, \"humidity\": 40.2}}"
            .getBytes(StandardCharsets.UTF_8);

    /** Readings of varied values ({@code -Dbench.varied=true}) a device cycles through, made before the clock runs. */
    private static final int VARIED = 4096;

    /**
     * What device {@code n} sends, in turn: the one constant reading, or with {@code -Dbench.varied=true} a day-long
     * cycle of temperature and humidity with noise (its own per device), so that the anomaly watch's detectors work on
     * values as devices send them rather than on a constant.
     */
    static byte[][] readings(int n) {
        if (!Boolean.getBoolean("bench.varied")) {
            return new byte[][] {READING};
        }
        java.util.Random random = new java.util.Random(n);
        byte[][] readings = new byte[VARIED][];
        for (int i = 0; i < VARIED; i++) {
            double day = Math.sin(2 * Math.PI * i / 1440.0);
            readings[i] = String.format(java.util.Locale.ROOT, "{\"values\": {\"temperature\": %.2f, \"humidity\":"
                    + " %.2f}}", 21.5 + 4 * day + 0.3 * random.nextGaussian(),
                    40.2 - 8 * day + random.nextGaussian()).getBytes(StandardCharsets.UTF_8);
        }
        return readings;
    }

    private Load() {
    }

    /** One device: a connection that sends a reading and waits for its answer. */
    interface Device extends AutoCloseable {
        /** True when the answer came and was the right one. */
        boolean exchange() throws Exception;
    }

    interface DeviceFactory {
        Device open(String target, int n) throws Exception;
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
        DeviceFactory factory = switch (args[0]) {
            case "coap" -> Load::coap;
            case "http" -> Load::http;
            case "mqtt" -> Load::mqtt;
            default -> throw new IllegalArgumentException("protocol coap, http or mqtt, not " + args[0]);
        };
        int n = args.length;
        int clients = Integer.parseInt(args[n - 3]);
        double seconds = Double.parseDouble(args[n - 2]);
        double warmup = Double.parseDouble(args[n - 1]);
        double slice = Double.parseDouble(System.getProperty("bench.slice", "2"));
        List<Target> targets = new ArrayList<>();
        for (String target : Arrays.copyOfRange(args, 1, n - 3)) {
            String[] nameTarget = target.split("=", 2);
            targets.add(new Target(nameTarget[0], factory, nameTarget[1], clients));
        }
        // every target is warmed up before the first is measured: the generator's own JIT settles during the warm-ups
        // too; then the targets take turns in slices, each round starting with the next target, so that what drifts
        // while a run lasts (the generator's JIT, the machine's other load) falls on all alike: measured one after the
        // other, two copies of the same broker came out 10-30 % apart, the later one faster
        for (Target target : targets) {
            target.drive(warmup, false);
        }
        int rounds = Math.max(1, (int) Math.round(seconds / slice));
        for (int round = 0; round < rounds; round++) {
            for (int t = 0; t < targets.size(); t++) {
                targets.get((round + t) % targets.size()).drive(seconds / rounds, true);
            }
        }
        for (Target target : targets) {
            Result r = target.close();
            System.out.printf("%-8s clients=%d  %9.0f msg/s  p50 %6.3f ms  p99 %6.3f ms  failures %d%n",
                    target.name, clients, r.rate(), r.percentileMillis(0.50), r.percentileMillis(0.99),
                    r.failures());
        }
        System.exit(0); // client libraries may leave non-daemon threads
    }

    /** One target's devices, connected once, driven in slices; what the measured slices saw adds up. */
    static final class Target {
        private final String name;
        private final List<Device> devices = new ArrayList<>();
        private final ExecutorService pool;
        private long[] latencies = new long[0];
        private long failures;
        private double seconds;

        Target(String name, DeviceFactory factory, String target, int clients) throws Exception {
            this.name = name;
            this.pool = Executors.newFixedThreadPool(clients);
            for (int c = 0; c < clients; c++) {
                devices.add(factory.open(target, c));
            }
        }

        /** Every device exchanges readings for {@code seconds}; counted when {@code measured}. */
        void drive(double seconds, boolean measured) throws Exception {
            AtomicLong failed = new AtomicLong();
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            List<Future<long[]>> futures = new ArrayList<>();
            for (Device device : devices) {
                futures.add(pool.submit(() -> exchanges(device, deadline, failed)));
            }
            long[] all = latencies;
            for (Future<long[]> f : futures) {
                long[] part = f.get();
                if (measured) {
                    long[] merged = Arrays.copyOf(all, all.length + part.length);
                    System.arraycopy(part, 0, merged, all.length, part.length);
                    all = merged;
                }
            }
            if (measured) {
                latencies = all;
                failures += failed.get();
                this.seconds += (System.nanoTime() - start) / 1e9;
            }
        }

        Result close() throws Exception {
            pool.shutdown();
            for (Device device : devices) {
                device.close();
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return new Result(name, sorted.length, failures, seconds, sorted);
        }
    }

    /** {@code clients} devices of one target, connected, driven for {@code seconds} and closed. */
    static Result run(DeviceFactory factory, String target, int clients, double seconds) throws Exception {
        Target driven = new Target(target, factory, target, clients);
        driven.drive(seconds, true);
        return driven.close();
    }

    /** A device's exchanges until {@code deadline}: the latencies of those answered right. */
    private static long[] exchanges(Device device, long deadline, AtomicLong failures) {
        long[] latencies = new long[1 << 16];
        int count = 0;
        while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            boolean ok;
            try {
                ok = device.exchange();
            } catch (Exception e) {
                ok = false;
            }
            long t1 = System.nanoTime();
            if (!ok) {
                failures.incrementAndGet();
                continue;
            }
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = t1 - t0;
        }
        return Arrays.copyOf(latencies, count);
    }

    static final int FRESH_ENDPOINT_EVERY = 30_000;

    static Device coap(String url, int n) {
        CoapConfig.register();
        UdpConfig.register();
        Configuration.setStandard(Configuration.createStandardWithoutFile());
        byte[][] readings = readings(n);
        return new Device() {
            private CoapEndpoint endpoint;
            private CoapClient client;
            private int sent;

            @Override
            public boolean exchange() throws Exception {
                // a fresh endpoint (a new source port: a new peer to the server) every FRESH_ENDPOINT_EVERY exchanges:
                // Californium lets one peer use its 65,536 message ids once per exchange lifetime (247 s), after which
                // every request failed at once - a bench device is far faster than a real one
                if (sent % FRESH_ENDPOINT_EVERY == 0) {
                    close();
                    endpoint = CoapEndpoint.builder().build();
                    client = new CoapClient(url + "/telemetry/bench" + n).setEndpoint(endpoint).setTimeout(5000L);
                }
                CoapResponse response = client.post(readings[sent++ % readings.length],
                        MediaTypeRegistry.APPLICATION_JSON);
                return response != null && response.getCode() == ResponseCode.CHANGED;
            }

            @Override
            public void close() {
                if (client != null) {
                    client.shutdown();
                    endpoint.destroy();
                }
            }
        };
    }

    static Device http(String url, int n) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/telemetry/bench" + n))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(READING)).build();
        return new Device() {
            @Override
            public boolean exchange() throws Exception {
                return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            }

            @Override
            public void close() {
                // the JDK client closes its connections when collected
            }
        };
    }

    /**
     * {@code tcp://[user:password@]host:port|publish-topic|answer-topic[|qos]}, {n} in the topics = the client; the
     * publish QoS is 1 unless given.
     */
    static Device mqtt(String target, int n) throws Exception {
        String[] parts = target.replace("{n}", Integer.toString(n)).split("\\|");
        URI uri = URI.create(parts[0]);
        // "persistent": a session the broker keeps (clean session off), so that the subscription is a durable queue,
        // under a client id that stays the same across runs (each run resumes the session instead of leaving one more)
        boolean persistent = parts.length > 4 && parts[4].equals("persistent");
        String clientId = persistent ? "bench-" + n + "-" + Integer.toHexString(parts[2].hashCode())
                : "bench-" + n + "-" + System.nanoTime();
        MqttClient client = new MqttClient("tcp://" + uri.getHost() + ":" + uri.getPort(), clientId,
                new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        // as libmosquitto does: no Nagle delay on small packets (Paho leaves it on, which meets the peer's delayed
        // ACK and adds ~40 ms to an exchange whenever the broker answers a moment later than at once)
        options.setSocketFactory(new NoDelaySocketFactory());
        options.setCleanSession(!persistent);
        options.setMaxInflight(10);
        if (uri.getUserInfo() != null) {
            String[] login = uri.getUserInfo().split(":", 2);
            options.setUserName(login[0]);
            options.setPassword(login[1].toCharArray());
        }
        int qos = parts.length > 3 ? Integer.parseInt(parts[3]) : 1;
        BlockingQueue<byte[]> answers = new ArrayBlockingQueue<>(1024);
        client.connect(options);
        client.subscribe(parts[2], 1, (topic, message) -> answers.offer(message.getPayload()));
        return new Device() {
            @Override
            public boolean exchange() throws Exception {
                client.publish(parts[1], READING, qos, false);
                return answers.poll(5, TimeUnit.SECONDS) != null;
            }

            @Override
            public void close() throws Exception {
                client.disconnect();
                client.close();
            }
        };
    }
}
