package io.edgeai.bench;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A soak at moderate mixed load: {@code rate} readings a second in all, spread over CoAP (NON posts), HTTP and MQTT
 * (QoS 1), each reading from one of {@code devices} device ids in turn (more than the anomaly watch keeps streams for),
 * with values that wander, for {@code minutes}. Every {@code sample} seconds it prints the gateway's resident memory
 * (VmRSS of {@code pid}) and the readings sent and answered so far; at the end, RSS at the start, the largest, at the
 * end, and the slope over the last third of the run (MB/min): a gateway that levels off has a slope near 0.
 *
 * <pre>
 * Soak pid coap-port http-base mqtt-url user password rate devices minutes sample-seconds
 * </pre>
 */
public final class Soak {

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        long pid = Long.parseLong(args[0]);
        int coapPort = Integer.parseInt(args[1]);
        String httpBase = args[2];
        String mqttUrl = args[3];
        int rate = Integer.parseInt(args[6]);
        int devices = Integer.parseInt(args[7]);
        int minutes = Integer.parseInt(args[8]);
        int sample = Integer.parseInt(args[9]);

        DatagramSocket coap = new DatagramSocket();
        InetAddress local = InetAddress.getLoopbackAddress();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        MqttClient mqtt = new MqttClient(mqttUrl, "soak", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(args[4]);
        options.setPassword(args[5].toCharArray());
        options.setAutomaticReconnect(true);
        mqtt.connect(options);

        Map<String, AtomicLong> counts = new TreeMap<>();
        for (String key : List.of("coap sent", "http 200", "http other", "mqtt published", "mqtt failed")) {
            counts.put(key, new AtomicLong());
        }
        AtomicLong sequence = new AtomicLong();
        ScheduledExecutorService load = Executors.newScheduledThreadPool(3);
        long periodMicros = 1_000_000L / rate;
        load.scheduleAtFixedRate(() -> {
            long n = sequence.getAndIncrement();
            String device = "soak" + (n % devices);
            double value = 20 + 5 * Math.sin(n / 500.0) + (n % 7) * 0.1;
            byte[] reading = ("{\"values\": {\"temperature\": " + value + "}}").getBytes(StandardCharsets.UTF_8);
            try {
                switch ((int) (n % 3)) {
                    case 0 -> {
                        coap.send(new DatagramPacket(nonPost(n, device, reading), 0, nonPost(n, device, reading)
                                .length, local, coapPort));
                        counts.get("coap sent").incrementAndGet();
                    }
                    case 1 -> http.sendAsync(HttpRequest.newBuilder(URI.create(httpBase + "/api/v1/telemetry/" + device))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(reading)).build(),
                            HttpResponse.BodyHandlers.discarding()).thenAccept(r -> counts.get(r.statusCode() == 200
                            ? "http 200" : "http other").incrementAndGet());
                    default -> {
                        mqtt.publish("edgeai/telemetry/" + device, reading, 1, false);
                        counts.get("mqtt published").incrementAndGet();
                    }
                }
            } catch (Exception e) {
                counts.get(n % 3 == 2 ? "mqtt failed" : "http other").incrementAndGet();
            }
        }, 0, periodMicros, TimeUnit.MICROSECONDS);

        List<double[]> rss = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.MINUTES.toNanos(minutes);
        double liveAfterWarmUp = Double.NaN;
        while (System.nanoTime() < end) {
            double minute = (System.nanoTime() - start) / 60e9;
            if (Double.isNaN(liveAfterWarmUp) && minute >= 1) {
                liveAfterWarmUp = liveHeapMegabytes(pid);
                System.out.printf("live heap after a full GC at %.1f min: %.1f MB%n", minute, liveAfterWarmUp);
            }
            double megabytes = rssMegabytes(pid);
            rss.add(new double[] {minute, megabytes});
            Map<String, Double> gc = jstat(pid);
            System.out.printf("%6.1f min  RSS %7.1f MB  heap committed %6.1f MB, old used %6.1f MB, full GCs %3.0f,"
                    + " metaspace %5.1f MB, threads %s  %s%n", minute, megabytes, (gc.get("S0C") + gc.get("S1C")
                    + gc.get("EC") + gc.get("OC")) / 1024, gc.get("OU") / 1024, gc.get("FGC"), gc.get("MU") / 1024,
                    status(pid, "Threads:"), counts);
            Thread.sleep(sample * 1000L);
        }
        load.shutdownNow();
        mqtt.disconnect();
        coap.close();
        double first = rss.get(0)[1];
        double max = rss.stream().mapToDouble(p -> p[1]).max().orElse(0);
        double last = rss.get(rss.size() - 1)[1];
        System.out.printf("RSS: start %.1f MB, largest %.1f MB, end %.1f MB; slope over the last third %.2f MB/min%n",
                first, max, last, slope(rss.subList(rss.size() * 2 / 3, rss.size())));
        System.out.printf("live heap after a full GC: %.1f MB after the first minute, %.1f MB at the end%n",
                liveAfterWarmUp, liveHeapMegabytes(pid));
    }

    /** The JDK tools beside the running java (jstat, jcmd). */
    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    /** {@code jstat -gc}: capacities and use of each heap space (KB) and collection counts, by column name. */
    static Map<String, Double> jstat(long pid) throws Exception {
        String[] lines = run(tool("jstat"), "-gc", Long.toString(pid)).trim().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        Map<String, Double> columns = new TreeMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            columns.put(names[i], values[i].equals("-") ? Double.NaN : Double.parseDouble(values[i]));
        }
        return columns;
    }

    /** Heap in use right after a full collection (jcmd GC.run): what the gateway really keeps. */
    static double liveHeapMegabytes(long pid) throws Exception {
        run(tool("jcmd"), Long.toString(pid), "GC.run");
        Map<String, Double> gc = jstat(pid);
        return (gc.get("S0U") + gc.get("S1U") + gc.get("EU") + gc.get("OU")) / 1024;
    }

    static String status(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return line.substring(field.length()).trim();
            }
        }
        return "?";
    }

    /** A non-confirmable CoAP POST /telemetry/{device} with JSON. */
    static byte[] nonPost(long n, String device, byte[] json) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x50); // version 1, NON, no token
        out.write(0x02);
        out.write((int) (n >> 8) & 0xff);
        out.write((int) n & 0xff);
        byte[] first = "telemetry".getBytes(StandardCharsets.US_ASCII);
        out.write(0xB0 | first.length);
        out.writeBytes(first);
        byte[] second = device.getBytes(StandardCharsets.US_ASCII);
        out.write(second.length);
        out.writeBytes(second);
        out.write(0x11);
        out.write(50);
        out.write(0xFF);
        out.writeBytes(json);
        return out.toByteArray();
    }

    static double rssMegabytes(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** Least-squares slope of (minute, MB) points. */
    static double slope(List<double[]> points) {
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxy = 0;
        double sxx = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxy += p[0] * p[1];
            sxx += p[0] * p[0];
        }
        double denominator = n * sxx - sx * sx;
        return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
    }
}
