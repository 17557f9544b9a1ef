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

    /** Registers a persistent MQTT 3.1.1 QoS 1 subscription for {@code clientId}. */
    void subscribe(String clientId, String... topics) throws Exception {
        Result result = run("mosquitto_sub", sub(clientId, topics, "-E"));
        assertEquals("subscribing " + clientId + ": " + result.output(), 0, result.exit());
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

    private Result run(String client, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(client, "-h", hostFor(args), "-p", port));
        command.addAll(login);
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        assertTrue(client + " did not finish", process.waitFor(90, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    /** TLS checks the certificate's name: localhost then; 127.0.0.1 otherwise. */
    private static String hostFor(String[] args) {
        return Arrays.asList(args).contains("--cafile") ? "localhost" : "127.0.0.1";
    }
}
