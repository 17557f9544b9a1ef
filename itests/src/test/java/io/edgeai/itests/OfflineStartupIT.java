package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The assembly as an operator runs it, with networking removed: unpacked from the tar.gz, started by bin/karaf in a
 * network namespace that has only a loopback interface ({@code unshare -n}). It must boot and open its connectors
 * without a single error, with the engine in standby (libtorch not loaded: no model needs it); and, told to preload,
 * load PyTorch from its own files and report it ready. Prints the times and the resident memory. And
 * {@code GET /api/v1/health} at boot, as a script or a watchdog reads it: the first 200 comes only once every API it
 * stands for answers (it came while the models API still answered 503: a script that waited for health and then
 * uploaded its models failed).
 */
public class OfflineStartupIT {

    private static final Pattern READY = Pattern.compile("PyTorch (\\S+) ready on (\\S+)");

    @Rule
    public TemporaryFolder tmp = GatewayProcess.folder();

    private GatewayProcess gateway;

    @Before
    public void unpack() throws Exception {
        gateway = GatewayProcess.unpack(tmp.getRoot().toPath());
    }

    @After
    public void stop() throws Exception {
        gateway.stop();
    }

    @Test
    public void bootsWithoutNetworkAndLoadsPyTorchFromItsOwnFiles() throws Exception {
        long started = System.nanoTime();
        gateway.start(true);
        gateway.awaitConnectors();
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.logText().contains("CoAP connector listening")
                && gateway.logText().contains("PyTorch engine in standby"));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals("errors in karaf.log", "", gateway.errors());
        // nor a warning an operator would chase (Netty's "no hardware address" came at every offline boot); the first
        // boot's self-signed MQTT certificate is one to act on
        assertEquals("warnings in karaf.log", "", gateway.logText().lines()
                .filter(l -> l.contains("| WARN ") && !l.contains("Created a self-signed certificate"))
                .collect(java.util.stream.Collectors.joining("\n")));
        // what a hostile neighbour finds open: the gateway listens where docs/security.md says and nowhere else (its
        // network namespace holds only its own sockets)
        assertEquals(documentedListeners(), listeners());
        // no model, so no libtorch: an idle gateway does not carry it (~80 MB)
        assertFalse("libtorch loaded with no model", mapped("libtorch_cpu"));
        long idleMb = gateway.rssKb() / 1024;
        // bin/setenv's heap limit reaches the JVM (Karaf 4.4's own scripts ignore JAVA_MAX_MEM: a gateway without it
        // took a quarter of the machine's memory)
        assertEquals("-XX:MaxHeapSize=" + 384 * 1024 * 1024, jvmFlag("MaxHeapSize"));
        // and its heap is kept close to what is live (docs/measurements.md, footprint): a small young generation, an
        // old one that grows late and gives memory back
        assertEquals("-XX:MaxNewSize=" + 16 * 1024 * 1024, jvmFlag("MaxNewSize"));
        assertEquals("-XX:MinHeapFreeRatio=10", jvmFlag("MinHeapFreeRatio"));
        assertEquals("-XX:MaxHeapFreeRatio=30", jvmFlag("MaxHeapFreeRatio"));
        // and sized so that booting does not grow it collection by collection (docs/measurements.md, boot)
        assertEquals("-XX:InitialHeapSize=" + 96 * 1024 * 1024, jvmFlag("InitialHeapSize"));
        assertEquals("-XX:MetaspaceSize=" + 96 * 1024 * 1024, jvmFlag("MetaspaceSize"));
        // and does not spend it compiling code that runs only at boot
        assertEquals("-XX:Tier4InvocationThreshold=50000", jvmFlag("Tier4InvocationThreshold"));
        assertEquals("-XX:Tier4BackEdgeThreshold=400000", jvmFlag("Tier4BackEdgeThreshold"));
        // bin/status and bin/stop as a service script runs them: without a shutdown port, through karaf.pid
        GatewayProcess.Script status = gateway.program(Map.of(), "bin/status");
        assertTrue(status.output(), status.exit() == 0 && status.output().contains("Running"));
        GatewayProcess.Script stop = gateway.program(Map.of(), "bin/stop");
        assertEquals(stop.output(), 0, stop.exit());
        await().atMost(Duration.ofSeconds(60)).until(() -> !gateway.alive());
        // a clean stop: the broker closed its journal ("AMQ221002 ... stopped")
        assertTrue("not a clean stop: " + gateway.consoleOut(), gateway.logText().contains("AMQ221002"));
        gateway.stop();

        // preload = true loads PyTorch at start: offline, from the assembly's own files
        gateway.set("etc/io.edgeai.djl.cfg", "preload", "true");
        started = System.nanoTime();
        gateway.start(true);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> !gateway.alive() || readyLine().isPresent() || engineFailed());
        double ready = (System.nanoTime() - started) / 1e9;
        assertTrue("gateway exited: " + gateway.consoleOut(), gateway.alive());
        assertFalse("engine failed: " + gateway.errors(), engineFailed());
        Matcher line = READY.matcher(readyLine().orElseThrow());
        assertTrue(line.find());
        assertEquals("2.7.1", line.group(1));
        assertEquals("cpu", line.group(2));
        assertTrue("libtorch not mapped", mapped("libtorch_cpu"));
        gateway.awaitConnectors();
        assertEquals("errors in karaf.log", "", gateway.errors());
        assertFalse("DJL tried to download", gateway.logText().contains("Downloading"));

        System.out.printf("offline start-up: connectors up after %.1f s, RSS %d MB (engine in standby); with preload,"
                + " PyTorch ready after %.1f s, RSS %d MB%n", seconds, idleMb, ready, gateway.rssKb() / 1024);
    }

    @Test
    public void theFirstHealthyAnswerComesOnceEveryApiAnswers() throws Exception {
        String http = "http://127.0.0.1:" + gateway.httpPort;
        gateway.start(false);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> !gateway.alive() || Http.get(http + "/api/v1/health").status() == 200);
        // at once, as the script that waited goes on
        Map<String, Integer> answers = new LinkedHashMap<>();
        answers.put("GET /api/v1/models", Http.get(http + "/api/v1/models").status());
        answers.put("GET /api/v1/training-jobs", Http.get(http + "/api/v1/training-jobs").status());
        answers.put("POST /api/v1/anomaly/d1/replay (no CSV)", Http.post(http + "/api/v1/anomaly/d1/replay",
                "text/plain", new byte[0]).status());
        answers.put("POST /api/v1/telemetry/d1", Http.postJson(http + "/api/v1/telemetry/d1",
                "{\"values\": {\"t\": 21.5}}").status());
        answers.put("GET /metrics", Http.get(http + "/metrics").status());
        answers.put("GET /", Http.get(http + "/").status());
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("GET /api/v1/models", 200);
        expected.put("GET /api/v1/training-jobs", 200);
        expected.put("POST /api/v1/anomaly/d1/replay (no CSV)", 415);
        expected.put("POST /api/v1/telemetry/d1", 200);
        expected.put("GET /metrics", 200);
        expected.put("GET /", 200);
        assertEquals("answers right after the first healthy one; " + gateway.errors(), expected, answers);
    }

    /**
     * The listeners docs/security.md names, on the ports this test configured: devices' ports and HTTP on every
     * interface, the console on loopback only. No JMX, no shutdown port.
     */
    private Set<String> documentedListeners() throws IOException {
        String coap = "etc/io.edgeai.connector.coap.cfg";
        String mqtt = "etc/io.edgeai.connector.mqtt.cfg";
        return new TreeSet<>(Set.of("tcp *:" + gateway.httpPort, "tcp *:" + gateway.get(mqtt, "port"),
                "tcp *:" + gateway.get(mqtt, "tlsPort"), "tcp 127.0.0.1:" + gateway.sshPort(),
                "udp *:" + gateway.get(coap, "port"), "udp *:" + gateway.get(coap, "dtlsPort")));
    }

    /** The TCP sockets listening and the UDP sockets bound in the gateway's network namespace (/proc/<pid>/net). */
    private Set<String> listeners() throws Exception {
        Set<String> found = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + gateway.java().orElseThrow().pid() + "/net/"
                    + table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (table.startsWith("tcp") && !fields[3].equals("0A")) {
                    continue; // not listening: a connection
                }
                String[] local = fields[1].split(":");
                found.add(table.substring(0, 3) + " " + address(local[0]) + ":" + Integer.parseInt(local[1], 16));
            }
        }
        return found;
    }

    /** A /proc/net address (little-endian words): "*" for any, a.b.c.d for IPv4 and IPv4-mapped IPv6. */
    private static String address(String hex) {
        if (hex.chars().allMatch(c -> c == '0')) {
            return "*";
        }
        String ipv4 = hex.length() == 8 ? hex : hex.startsWith("0000000000000000FFFF0000") ? hex.substring(24) : null;
        if (ipv4 == null) {
            return hex;
        }
        int word = (int) Long.parseLong(ipv4, 16);
        return (word & 0xff) + "." + (word >> 8 & 0xff) + "." + (word >> 16 & 0xff) + "." + (word >>> 24);
    }

    /** Whether the gateway's JVM has a library of that name mapped (/proc/<pid>/maps). */
    private boolean mapped(String library) throws Exception {
        return Files.readString(Path.of("/proc/" + gateway.java().orElseThrow().pid() + "/maps")).contains(library);
    }

    /** One flag of the gateway's JVM as it runs, read with the JDK's jcmd. */
    private String jvmFlag(String name) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(gateway.java().orElseThrow().pid()), "VM.flags").redirectErrorStream(true).start();
        String flags = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        return Arrays.stream(flags.split("\\s+")).filter(f -> f.startsWith("-XX:" + name + "=")).findFirst()
                .orElse("no " + name + " in: " + flags);
    }

    private Optional<String> readyLine() throws IOException {
        return gateway.logText().lines().filter(l -> READY.matcher(l).find()).findFirst();
    }

    private boolean engineFailed() throws IOException {
        return gateway.logText().contains("PyTorch engine could not be loaded");
    }
}
