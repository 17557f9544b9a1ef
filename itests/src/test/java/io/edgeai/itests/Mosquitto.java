package io.edgeai.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Eclipse Mosquitto's command-line clients (Debian's mosquitto-clients) against a broker on 127.0.0.1. Subscribers use
 * persistent sessions: {@link #subscribe} registers the subscription and returns once the broker acknowledged it
 * ({@code -E}); {@link #receive} later collects what the broker kept for that client meanwhile.
 */
final class Mosquitto {

    /** Exit code and everything the client printed. */
    record Result(int exit, String output) {
    }

    private final String port;
    private final List<String> login;

    Mosquitto(String port, String user, String password) {
        this.port = port;
        this.login = user == null ? List.of() : List.of("-u", user, "-P", password);
    }

    /** mosquitto_pub with these arguments (topic, message, -V, -q ...); waits for it to finish. */
    Result pub(String... args) throws Exception {
        return run("mosquitto_pub", args);
    }

    /**
     * mosquitto_pub -l: each line of {@code lines} one message, on one connection; waits for it to finish (with QoS 1,
     * once the broker acknowledged every message).
     */
    Result pubLines(java.nio.file.Path lines, String... args) throws Exception {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("-l");
        return run(lines, "mosquitto_pub", all.toArray(new String[0]));
    }

    /** mosquitto_sub with these arguments; waits for it to finish (give it -C and -W). */
    Result sub(String... args) throws Exception {
        return run("mosquitto_sub", args);
    }

    /** Starts a client (mosquitto_sub with these arguments) writing what it prints to {@code output}. */
    Process start(java.nio.file.Path output, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_sub", "-h", hostFor(args), "-p", port));
        command.addAll(login);
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Registers a persistent MQTT 3.1.1 QoS 1 subscription for {@code clientId}. */
    void subscribe(String clientId, String... topics) throws Exception {
        Result result = run("mosquitto_sub", sub(clientId, topics, "-E"));
        assertEquals("subscribing " + clientId + ": " + result.output(), 0, result.exit());
    }

    /** Tries one subscription ({@code -E}: subscribe, then leave) and returns what the client said. */
    Result trySubscribe(String clientId, String version, String... topics) throws Exception {
        List<String> args = new ArrayList<>(List.of("-V", version, "-q", "1", "-i", clientId, "-E"));
        for (String topic : topics) {
            args.add("-t");
            args.add(topic);
        }
        return run("mosquitto_sub", args.toArray(new String[0]));
    }

    /** The next {@code count} messages kept for {@code clientId}, each as "topic payload". */
    List<String> receive(String clientId, int count, String... topics) throws Exception {
        Result result = run("mosquitto_sub", sub(clientId, topics, "-v", "-C", Integer.toString(count), "-W", "60"));
        assertEquals("receiving for " + clientId + ": " + result.output(), 0, result.exit());
        return result.output().lines().toList();
    }

    private static String[] sub(String clientId, String[] topics, String... extra) {
        List<String> args = new ArrayList<>(List.of("-V", "mqttv311", "-q", "1", "-c", "-i", clientId));
        for (String topic : topics) {
            args.add("-t");
            args.add(topic);
        }
        args.addAll(Arrays.asList(extra));
        return args.toArray(new String[0]);
    }

    /** Runs a client to its end; one still running after 90 s is killed and fails the test (never hangs it). */
    private Result run(String client, String... args) throws Exception {
        return run(null, client, args);
    }

    /** {@link #run(String, String...)} with {@code input} (when not null) on the client's standard input. */
    private Result run(java.nio.file.Path input, String client, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(client, "-h", hostFor(args), "-p", port));
        command.addAll(login);
        command.addAll(Arrays.asList(args));
        java.nio.file.Path output = java.nio.file.Files.createTempFile("mosquitto", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            if (input != null) {
                builder.redirectInput(input.toFile());
            }
            Process process = builder.start();
            boolean finished = process.waitFor(90, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String printed = java.nio.file.Files.readString(output).trim();
            assertTrue(client + " did not finish within 90 s: " + printed, finished);
            return new Result(process.exitValue(), printed);
        } finally {
            java.nio.file.Files.deleteIfExists(output);
        }
    }

    /** TLS checks the certificate's name: localhost then; 127.0.0.1 otherwise. */
    private static String hostFor(String[] args) {
        return Arrays.asList(args).contains("--cafile") ? "localhost" : "127.0.0.1";
    }
}
