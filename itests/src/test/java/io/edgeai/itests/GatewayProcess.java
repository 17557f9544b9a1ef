package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The assembly as an operator runs it: unpacked from the build's tar.gz into a folder of the test, configured on free
 * ports, started with bin/karaf (optionally in a network namespace without network), stopped with SIGTERM. It can be
 * stopped and started again on the same folder, as a gateway is restarted.
 */
final class GatewayProcess implements AutoCloseable {

    final Path home;
    final String httpPort = EdgeAiTestSupport.freePort();
    final String mqttPort = EdgeAiTestSupport.freePort();
    private Process karaf;

    private GatewayProcess(Path home) {
        this.home = home;
    }

    /**
     * A temporary folder for a gateway under the tests' folder (target/exam), created if this is the first test to run
     * in a clean tree.
     */
    static org.junit.rules.TemporaryFolder folder() {
        java.io.File parent = new java.io.File(System.getProperty("edgeai.exam.dir", "target"));
        parent.mkdirs();
        return new org.junit.rules.TemporaryFolder(parent);
    }

    /** Unpacks the assembly under {@code folder} and moves every listener to a free port. */
    static GatewayProcess unpack(Path folder) throws Exception {
        Files.createDirectories(folder);
        run("tar", "xzf", System.getProperty("edgeai.assembly"), "-C", folder.toString());
        Path home;
        try (var entries = Files.list(folder)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        GatewayProcess gateway = new GatewayProcess(home);
        gateway.set("etc/org.apache.karaf.shell.cfg", "sshPort", EdgeAiTestSupport.freePort());
        gateway.set("etc/io.edgeai.connector.coap.cfg", "port", EdgeAiTestSupport.freeUdpPort());
        gateway.set("etc/io.edgeai.connector.coap.cfg", "dtlsPort", EdgeAiTestSupport.freeUdpPort());
        gateway.set("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", gateway.httpPort);
        gateway.set("etc/io.edgeai.connector.mqtt.cfg", "port", gateway.mqttPort);
        gateway.set("etc/io.edgeai.connector.mqtt.cfg", "tlsPort", EdgeAiTestSupport.freePort());
        return gateway;
    }

    /** Sets one key of a configuration file, as an operator edits it. */
    void set(String file, String key, String value) throws IOException {
        Path path = home.resolve(file);
        List<String> lines = (Files.exists(path) ? Files.readAllLines(path) : List.<String>of()).stream()
                .filter(l -> !l.trim().startsWith(key + " ") && !l.trim().startsWith(key + "="))
                .collect(Collectors.toList());
        lines.add(key + " = " + value);
        Files.write(path, lines);
    }

    /** bin/karaf server; with {@code offline}, inside a network namespace that has only a loopback interface. */
    void start(boolean offline) throws Exception {
        List<String> command = List.of("bin/karaf", "server");
        if (offline) {
            String isolate = "ip link set lo up && exec bin/karaf server";
            boolean root = "0".equals(run("id", "-u").trim());
            command = root ? List.of("unshare", "--net", "sh", "-c", isolate)
                    : List.of("unshare", "--net", "--map-root-user", "sh", "-c", isolate);
        }
        karaf = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.out").toFile())).start();
    }

    /** Waits until the gateway's connectors are up (its MQTT connector, the last to come); fails if it exited. */
    void awaitConnectors() throws Exception {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> !alive() || logText().contains("MQTT connector up"));
        assertTrue("gateway exited: " + consoleOut(), alive());
    }

    /**
     * bin/karaf server with the broker's storage (data/artemis) on a tmpfs of {@code size} (e.g. "48m") in a mount
     * namespace of its own, so that the gateway meets a small disk and the mount is gone with the process. The test
     * reaches that storage through {@link #brokerStorage()}.
     */
    void startWithSmallBrokerStorage(String size) throws Exception {
        Files.createDirectories(home.resolve("data/artemis"));
        String script = "mount -t tmpfs -o size=" + size + " tmpfs data/artemis && exec bin/karaf server";
        boolean root = "0".equals(run("id", "-u").trim());
        List<String> command = root ? List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script)
                : List.of("unshare", "--mount", "--map-root-user", "sh", "-c", script);
        karaf = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.out").toFile())).start();
    }

    /** data/artemis as the gateway's JVM sees it (its own mount namespace, through /proc). */
    Path brokerStorage() throws IOException {
        return Path.of("/proc/" + java().orElseThrow().pid() + "/root" + home.toAbsolutePath() + "/data/artemis");
    }

    boolean alive() {
        return karaf != null && karaf.isAlive();
    }

    Path log() {
        return home.resolve("data/log/karaf.log");
    }

    String logText() throws IOException {
        return Files.exists(log()) ? Files.readString(log()) : "";
    }

    String consoleOut() throws IOException {
        return Files.readString(home.resolve("console.out"));
    }

    /** Runs a console command through bin/client (SSH on the configured port) and returns what it printed. */
    String console(String command) throws Exception {
        return script(command).output();
    }

    /**
     * Installs features as an operator's script does (feature:install through bin/client), once the features service
     * lists them: right after a first boot Karaf's console can answer before its features service has taken in every
     * repository, and feature:install then fails with "No matching features" (seen once in 97 tests).
     */
    Script install(String... features) throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String listed = script("feature:list").output();
            return java.util.Arrays.stream(features).allMatch(f -> listed.contains(f + " "));
        });
        return script("feature:install " + String.join(" ", features));
    }

    /** What a console script printed (standard output and error) and the client's exit code. */
    record Script(int exit, String output) {
    }

    /** Runs console commands as a script does: bin/client -b, the commands on its standard input, no terminal. */
    Script script(String commands) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bin/client", "-u", "karaf", "-p", "karaf", "-b")
                .directory(home.toFile()).redirectErrorStream(true);
        builder.environment().remove("JAVA_HOME"); // as on a machine where nobody set it
        Process client = builder.start();
        client.getOutputStream().write((commands + "\n").getBytes());
        client.getOutputStream().close();
        String output = new String(client.getInputStream().readAllBytes());
        if (!client.waitFor(60, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("bin/client did not finish within 60 s: " + output);
        }
        return new Script(client.exitValue(), output);
    }

    /**
     * Runs a program in the gateway's folder as a script would: no terminal, nothing on its standard input, no
     * JAVA_HOME; e.g. {@code bin/edgeai edgeai:status}.
     */
    Script program(java.util.Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove("JAVA_HOME");
        builder.environment().putAll(environment);
        Process process = builder.start();
        java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return new String(process.getInputStream().readAllBytes());
                    } catch (IOException e) {
                        return e.toString();
                    }
                });
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 300 s: "
                    + output.getNow(""));
        }
        return new Script(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }

    /** The console's SSH port, as etc/org.apache.karaf.shell.cfg sets it. */
    String sshPort() throws IOException {
        return get("etc/org.apache.karaf.shell.cfg", "sshPort");
    }

    /** One key of a configuration file (its last setting), as {@link #set} leaves it. */
    String get(String file, String key) throws IOException {
        return Files.readAllLines(home.resolve(file)).stream()
                .filter(l -> l.trim().startsWith(key + " ") || l.trim().startsWith(key + "="))
                .map(l -> l.split("=", 2)[1].trim()).reduce((a, b) -> b).orElseThrow();
    }

    /** The lines logged at ERROR. */
    String errors() throws IOException {
        return Files.readAllLines(log()).stream().filter(l -> l.contains("| ERROR "))
                .collect(Collectors.joining("\n"));
    }

    /** The JVM that bin/karaf started (its pid file), or empty before it wrote one. */
    Optional<ProcessHandle> java() throws IOException {
        Path pidFile = home.resolve("karaf.pid");
        if (!Files.exists(pidFile)) {
            return karaf.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                    .findFirst();
        }
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
    }

    long rssKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/" + java().orElseThrow().pid() + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }

    /** SIGTERM to the JVM, as a service manager stops the gateway; waits until it is gone. */
    void stop() throws Exception {
        if (karaf == null) {
            return;
        }
        Optional<ProcessHandle> java = java();
        java.ifPresent(ProcessHandle::destroy);
        if (!karaf.waitFor(60, TimeUnit.SECONDS)) {
            karaf.descendants().forEach(ProcessHandle::destroyForcibly);
            karaf.destroyForcibly();
        }
        java.ifPresent(p -> p.onExit().join());
        Files.deleteIfExists(home.resolve("karaf.pid"));
        karaf = null;
    }

    /** SIGKILL to the JVM, as a crash or a power cut ends it (nothing runs on the way out); waits until it is gone. */
    void kill() throws Exception {
        Optional<ProcessHandle> java = java();
        java.ifPresent(ProcessHandle::destroyForcibly);
        java.ifPresent(p -> p.onExit().join());
        karaf.waitFor(60, TimeUnit.SECONDS);
        Files.deleteIfExists(home.resolve("karaf.pid"));
        karaf = null;
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(String.join(" ", command) + ": " + output, 0, process.waitFor());
        return output;
    }
}
