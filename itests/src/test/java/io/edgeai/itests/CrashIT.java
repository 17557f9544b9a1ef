package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A crash loses nothing a device was told was taken. A device publishes a burst of QoS 1 readings, and as soon as the
 * broker has acknowledged the last one the gateway's JVM is killed (SIGKILL: no stop, nothing written on the way out,
 * as in a crash; the readings still queued are in the journal only): after a restart on the same folder every
 * acknowledged reading is processed (its result reaches the back office through the uplink), some maybe twice - at
 * least once.
 * A power cut also loses what the disk had not synced, which a kill does not show: strace on the gateway's JVM shows
 * the reading's journal record written and synced (fdatasync) before the PUBACK leaves.
 */
public class CrashIT {

    private static final int READINGS = 1000;
    private static final Pattern VALUE = Pattern.compile("\"values\":\\{\"n\":(\\d+)\\.0}");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private GatewayProcess gateway;
    private MosquittoBroker upstream;
    private Process subscriber;

    @After
    public void stop() throws Exception {
        if (subscriber != null) {
            subscriber.destroy();
            subscriber.waitFor();
        }
        if (gateway != null) {
            gateway.stop();
        }
        if (upstream != null) {
            upstream.stop();
        }
    }

    @Test
    public void everyAcknowledgedReadingIsProcessedAfterTheJvmIsKilled() throws Exception {
        // what was processed is what the uplink forwarded to the back office's broker: a result is in the uplink's
        // outbox before its reading is acknowledged, and the outbox survives crashes as the readings' queue does (an
        // answer to the device is not kept: one published just before the kill can die with the JVM)
        upstream = new MosquittoBroker(tmp.getRoot().toPath().resolve("mosquitto"));
        upstream.start();
        Path results = tmp.getRoot().toPath().resolve("results.txt");
        subscriber = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", upstream.port, "-V", "mqttv311",
                "-q", "1", "-c", "-i", "crash-check", "-t", "edgeai/gateways/crash-gateway/results/#")
                .redirectErrorStream(true).redirectOutput(results.toFile()).start();
        gateway = GatewayProcess.unpack(tmp.getRoot().toPath().resolve("gateway"));
        gateway.set("etc/users.properties", "crash-app", "crash-secret,edgeai-app");
        gateway.set("etc/io.edgeai.connector.mqtt.uplink.cfg", "url", "tcp://127.0.0.1:" + upstream.port);
        gateway.set("etc/io.edgeai.connector.mqtt.uplink.cfg", "gatewayId", "crash-gateway");
        gateway.set("etc/io.edgeai.connector.mqtt.uplink.cfg", "maxReconnectDelaySeconds", "2");
        gateway.start(false);
        gateway.awaitConnectors();
        Mosquitto mqtt = new Mosquitto(gateway.mqttPort, "crash-app", "crash-secret");

        Path readings = tmp.getRoot().toPath().resolve("readings.txt");
        Files.write(readings, IntStream.rangeClosed(1, READINGS)
                .mapToObj(n -> "{\"values\": {\"n\": " + n + "}}").toList());
        Mosquitto.Result published = mqtt.pubLines(readings, "-V", "mqttv311", "-q", "1",
                "-t", "edgeai/telemetry/crash-1");
        assertEquals("every reading acknowledged: " + published.output(), 0, published.exit());
        gateway.kill();
        int beforeKill = forwarded(results).size();

        gateway.start(false);
        gateway.awaitConnectors();
        Set<Integer> missing = IntStream.rangeClosed(1, READINGS).boxed().collect(Collectors.toCollection(TreeSet::new));
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                missing.removeAll(forwarded(results));
                return missing.isEmpty();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // named below
        }
        assertTrue("forwarded before the kill: " + beforeKill + " of " + READINGS + ", never: " + missing
                + "; the gateway logged:\n" + gateway.logText().lines().filter(l -> l.contains("plink")
                        || l.contains("| WARN ") || l.contains("| ERROR ")).collect(Collectors.joining("\n")),
                missing.isEmpty());
        assertTrue(gateway.errors(), gateway.errors().isEmpty());
        // the back office's broker never went away: its connection was never lost either (with a backlog, Paho's
        // in-flight count once made every other publish fail, and the uplink reconnected every few seconds)
        assertEquals("", gateway.logText().lines().filter(l -> l.contains("Uplink to") && l.contains(" lost: "))
                .collect(Collectors.joining("\n")));
    }

    @Test
    public void aQos1ReadingIsSyncedToDiskBeforeItsPuback() throws Exception {
        gateway = GatewayProcess.unpack(tmp.getRoot().toPath().resolve("gateway"));
        gateway.set("etc/users.properties", "crash-app", "crash-secret,edgeai-app");
        gateway.start(false);
        gateway.awaitConnectors();
        Mosquitto mqtt = new Mosquitto(gateway.mqttPort, "crash-app", "crash-secret");
        assertEquals(0, mqtt.pub("-q", "1", "-t", "edgeai/telemetry/crash-2", "-m", "{\"values\": {\"t\": 0}}").exit());

        long jvm = gateway.java().orElseThrow().pid();
        Path trace = tmp.getRoot().toPath().resolve("strace.txt");
        Path traceLog = tmp.getRoot().toPath().resolve("strace.log");
        // every thread's writes and syncs, with start times (epoch s) and durations, file and socket names, the bytes
        // (-x: a binary buffer all in hex, a textual one as text)
        Process strace = new ProcessBuilder("strace", "-f", "-ttt", "-T", "-y", "-x", "-s", "65536",
                "-e", "trace=write,writev,pwrite64,fdatasync,fsync", "-p", Long.toString(jvm), "-o", trace.toString())
                .redirectErrorStream(true).redirectOutput(traceLog.toFile()).start();
        String marker = "sync-marker-" + java.util.UUID.randomUUID();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !strace.isAlive()
                    || Files.readString(traceLog).contains("attached"));
            assertTrue("strace: " + Files.readString(traceLog), strace.isAlive());
            Mosquitto.Result published = mqtt.pub("-q", "1", "-i", "crash-sync", "-t", "edgeai/telemetry/crash-2",
                    "-m", "{\"values\": {\"t\": 1}, \"note\": \"" + marker + "\"}");
            assertEquals(published.output(), 0, published.exit());
        } finally {
            strace.destroy(); // strace detaches on SIGTERM
            strace.waitFor();
        }
        double recordWritten = -1;
        double synced = -1;
        double puback = -1;
        java.util.Map<String, Double> syncing = new java.util.HashMap<>(); // thread -> start of its journal fdatasync
        for (String line : Files.readAllLines(trace)) {
            Matcher call = SYSCALL.matcher(line);
            Matcher resumed = RESUMED.matcher(line);
            if (call.find()) {
                double start = Double.parseDouble(call.group(2));
                String name = call.group(3);
                String rest = line.substring(call.end());
                if (recordWritten < 0 && name.startsWith("write") && rest.contains("/journal/")
                        && (rest.contains(marker) || rest.contains(hex(marker)))) {
                    recordWritten = start;
                } else if (recordWritten >= 0 && synced < 0 && name.equals("fdatasync") && rest.contains("/journal/")) {
                    if (rest.contains("<unfinished")) {
                        syncing.put(call.group(1), start);
                    } else if (rest.contains(") = 0")) {
                        synced = start + duration(line);
                    }
                } else if (puback < 0 && name.startsWith("write") && rest.contains("socket:")
                        && (rest.contains("\"@\\x02\\x00\\x01\"") || rest.contains("\"\\x40\\x02\\x00\\x01\""))) {
                    puback = start;
                }
            } else if (resumed.find() && synced < 0 && syncing.containsKey(resumed.group(1))
                    && line.contains(") = 0")) {
                synced = syncing.get(resumed.group(1)) + duration(line);
            }
        }
        assertTrue("the reading's journal record was written", recordWritten > 0);
        assertTrue("a PUBACK left", puback > 0);
        assertTrue("the journal was synced after the record (" + recordWritten + ") and before the PUBACK (" + puback
                + "): " + synced, synced > 0 && synced <= puback);
    }

    /** strace -f -ttt: thread, start (epoch seconds), system call. */
    private static final Pattern SYSCALL = Pattern.compile("^(\\d+)\\s+(\\d+\\.\\d+) (\\w+)\\(");
    private static final Pattern RESUMED = Pattern.compile("^(\\d+)\\s+\\d+\\.\\d+ <\\.\\.\\. fdatasync resumed>");

    /** strace -T: the seconds a call took, at the end of its line. */
    private static double duration(String line) {
        Matcher took = Pattern.compile("<(\\d+\\.\\d+)>\\s*$").matcher(line);
        assertTrue(line, took.find());
        return Double.parseDouble(took.group(1));
    }

    /** As strace -x prints a binary buffer. */
    private static String hex(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
            out.append(String.format("\\x%02x", b));
        }
        return out.toString();
    }

    /** The readings (their n) whose results the back office's subscriber printed so far. */
    private static Set<Integer> forwarded(Path results) throws Exception {
        Set<Integer> seen = new TreeSet<>();
        if (Files.exists(results)) {
            Matcher matcher = VALUE.matcher(Files.readString(results));
            while (matcher.find()) {
                seen.add(Integer.parseInt(matcher.group(1)));
            }
        }
        return seen;
    }
}
