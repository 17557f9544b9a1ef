package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The assembly as an operator runs it, with networking removed: unpacked from the tar.gz, started by bin/karaf in a
 * network namespace that has only a loopback interface ({@code unshare -n}). It must boot, load PyTorch from its own
 * files and report the engine ready, without a single error. Prints the time to ready and the resident memory.
 */
public class OfflineStartupIT {

    private static final Pattern READY = Pattern.compile("PyTorch (\\S+) ready on (\\S+)");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder(new File(System.getProperty("edgeai.exam.dir", "target")));

    private Process karaf;
    private Path home;

    @Before
    public void unpack() throws Exception {
        Files.createDirectories(tmp.getRoot().toPath());
        run("tar", "xzf", System.getProperty("edgeai.assembly"), "-C", tmp.getRoot().getPath());
        try (var entries = Files.list(tmp.getRoot().toPath())) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        // free ports, as the tests may run beside a gateway
        setProperty("etc/org.apache.karaf.shell.cfg", "sshPort", EdgeAiTestSupport.freePort());
        setProperty("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", EdgeAiTestSupport.freePort());
        setProperty("etc/org.apache.karaf.management.cfg", "rmiServerPort", EdgeAiTestSupport.freePort());
        setProperty("etc/io.edgeai.connector.coap.cfg", "port", EdgeAiTestSupport.freeUdpPort());
        setProperty("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", EdgeAiTestSupport.freePort());
        setProperty("etc/io.edgeai.connector.coap.cfg", "dtlsPort", EdgeAiTestSupport.freeUdpPort());
    }

    @After
    public void stop() throws Exception {
        if (karaf == null) {
            return;
        }
        Optional<ProcessHandle> java = javaProcess();
        java.ifPresent(ProcessHandle::destroy); // SIGTERM: Karaf shuts down cleanly
        if (!karaf.waitFor(60, TimeUnit.SECONDS)) {
            karaf.descendants().forEach(ProcessHandle::destroyForcibly);
            karaf.destroyForcibly();
        }
        java.ifPresent(p -> p.onExit().join());
    }

    @Test
    public void bootsAndLoadsPyTorchWithoutNetwork() throws Exception {
        String isolate = "ip link set lo up && exec bin/karaf server";
        boolean root = "0".equals(run("id", "-u").trim());
        List<String> command = root ? List.of("unshare", "--net", "sh", "-c", isolate)
                : List.of("unshare", "--net", "--map-root-user", "sh", "-c", isolate);
        long started = System.nanoTime();
        karaf = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("console.out").toFile()).start();

        Path log = home.resolve("data/log/karaf.log");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> !karaf.isAlive() || readyLine(log).isPresent() || engineFailed(log));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue("gateway exited: " + Files.readString(home.resolve("console.out")), karaf.isAlive());
        assertFalse("engine failed: " + errors(log), engineFailed(log));

        Matcher ready = READY.matcher(readyLine(log).orElseThrow());
        assertTrue(ready.find());
        assertEquals("2.7.1", ready.group(1));
        assertEquals("cpu", ready.group(2));
        assertEquals("errors in karaf.log", "", errors(log));
        assertFalse("DJL tried to download", Files.readString(log).contains("Downloading"));

        long rssKb = rssKb(javaProcess().orElseThrow().pid());
        System.out.printf("offline start-up: PyTorch ready after %.1f s, RSS %d MB%n", seconds, rssKb / 1024);
    }

    private Optional<String> readyLine(Path log) throws IOException {
        if (!Files.exists(log)) {
            return Optional.empty();
        }
        return Files.readAllLines(log).stream().filter(l -> READY.matcher(l).find()).findFirst();
    }

    private boolean engineFailed(Path log) throws IOException {
        return Files.exists(log) && Files.readString(log).contains("PyTorch engine could not be loaded");
    }

    private String errors(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("| ERROR ")).collect(Collectors.joining("\n"));
    }

    /** The JVM that bin/karaf started (its pid file), or empty before it wrote one. */
    private Optional<ProcessHandle> javaProcess() throws IOException {
        Path pidFile = home.resolve("karaf.pid");
        if (!Files.exists(pidFile)) {
            return karaf.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                    .findFirst();
        }
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
    }

    private static long rssKb(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }

    private void setProperty(String file, String key, String value) throws IOException {
        Path path = home.resolve(file);
        List<String> lines = (Files.exists(path) ? Files.readAllLines(path) : List.<String>of()).stream()
                .filter(l -> !l.trim().startsWith(key + " ") && !l.trim().startsWith(key + "="))
                .collect(Collectors.toList());
        lines.add(key + " = " + value);
        Files.write(path, lines);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(String.join(" ", command) + ": " + output, 0, process.waitFor());
        return output;
    }
}
