package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The uplink against a real mosquitto started by the test: readings sent to the gateway (over HTTP, with curl) while
 * the external broker is up, while it is down, and while it is down across a restart of the gateway itself, all
 * arrive there once it is back, in the order they were sent, none twice. The gateway runs as an operator runs it
 * (bin/karaf, SIGTERM to stop); mosquitto_sub, subscribed with a persistent session, is the receiving side.
 */
public class UplinkIT {

    private static final Pattern VALUE = Pattern.compile("\"values\":\\{\"n\":(\\d+)\\.0}");

    @Rule
    public TemporaryFolder tmp = GatewayProcess.folder();

    private GatewayProcess gateway;
    private MosquittoBroker broker;
    private Process subscriber;

    @After
    public void stopEverything() throws Exception {
        if (subscriber != null) {
            subscriber.destroy();
            subscriber.waitFor(10, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.stop();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    public void everyReadingArrivesInOrderOnceAcrossBrokerOutageAndGatewayRestart() throws Exception {
        broker = new MosquittoBroker(tmp.getRoot().toPath().resolve("mosquitto"));
        broker.start();
        Path received = tmp.getRoot().toPath().resolve("received.txt");
        subscriber = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.port, "-V", "mqttv311",
                "-q", "1", "-c", "-i", "uplink-check", "-t", "edgeai/gateways/it-gateway/results/#")
                .redirectErrorStream(true).redirectOutput(received.toFile()).start();

        gateway = GatewayProcess.unpack(tmp.getRoot().toPath().resolve("gateway"));
        gateway.set("etc/io.edgeai.connector.mqtt.uplink.cfg", "url", "tcp://127.0.0.1:" + broker.port);
        gateway.set("etc/io.edgeai.connector.mqtt.uplink.cfg", "gatewayId", "it-gateway");
        gateway.set("etc/io.edgeai.connector.mqtt.uplink.cfg", "maxReconnectDelaySeconds", "2");
        startGateway(1);

        send(0, 20); // uplink up
        await().atMost(Duration.ofSeconds(60)).until(() -> values(received).size() >= 20);
        broker.stop();
        send(20, 40); // external broker down: kept in the gateway
        gateway.stop();
        startGateway(2); // restarted mid-outage
        send(40, 60);
        broker.start();

        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> values(received).size() >= 60);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("arrived " + values(received) + "; the gateway says:\n"
                    + gateway.console("edgeai:connector-list") + "\nlog:\n" + gateway.logText().lines()
                    .filter(l -> l.contains("Uplink") || l.contains("uplink") || l.contains("WARN")
                            || l.contains("ERROR")).collect(java.util.stream.Collectors.joining("\n")), e);
        }
        List<Integer> values = values(received);
        System.out.printf("uplink: %d readings sent, %d arrived%n", 60, values.size());
        assertEquals("in order, each once", IntStream.range(0, 60).boxed().toList(), values);
        assertTrue("sequence numbers rise", seqsRise(received));
        assertEquals("errors in karaf.log", "", gateway.errors());
    }

    /** Starts the gateway and waits until its uplink is configured ({@code n}-th start) and HTTP serves. */
    private void startGateway(int n) throws Exception {
        gateway.start(false);
        await().atMost(Duration.ofSeconds(120)).until(() -> !gateway.alive()
                || gateway.logText().split("as edgeai-it-gateway: up to", -1).length > n && httpServes());
        assertTrue("gateway exited: " + gateway.consoleOut(), gateway.alive());
    }

    private boolean httpServes() throws Exception {
        return Curl.servletServes("http://127.0.0.1:" + gateway.httpPort);
    }

    /** Readings n = from..to-1 for one device, each acknowledged with 200 before the next is sent. */
    private void send(int from, int to) throws Exception {
        for (int n = from; n < to; n++) {
            assertEquals("reading " + n, "200", Curl.postValue(url("up1"), n));
        }
    }

    private String url(String device) {
        return "http://127.0.0.1:" + gateway.httpPort + "/api/v1/telemetry/" + device;
    }


    private static List<Integer> values(Path received) throws Exception {
        List<Integer> values = new ArrayList<>();
        for (String line : Files.readAllLines(received)) {
            Matcher m = VALUE.matcher(line);
            if (m.find()) {
                values.add(Integer.parseInt(m.group(1)));
            }
        }
        return values;
    }

    private static boolean seqsRise(Path received) throws Exception {
        long last = -1;
        for (String line : Files.readAllLines(received)) {
            Matcher m = Pattern.compile("\"seq\":(\\d+)").matcher(line);
            if (m.find()) {
                long seq = Long.parseLong(m.group(1));
                if (seq <= last) {
                    return false;
                }
                last = seq;
            }
        }
        return true;
    }
}
