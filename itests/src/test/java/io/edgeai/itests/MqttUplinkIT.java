package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.monitoring.Status;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Test;

/**
 * The uplink's store is bounded and says what it drops: with the external broker (a real mosquitto) down, more
 * readings come than the store may keep; drop-oldest keeps the newest ones, drop-newest the first ones, each counted,
 * and what was kept arrives, in order, once the broker is up.
 */
public class MqttUplinkIT extends EdgeAiTestSupport {

    private static final Pattern VALUE = Pattern.compile("\"values\":\\{\"n\":(\\d+)\\.0}");

    private MosquittoBroker broker;

    @After
    public void cleanUp() throws Exception {
        executeCommand("config:delete io.edgeai.connector.mqtt.uplink");
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    public void fullStoreDropsAsConfiguredCountsItAndForwardsTheRestInOrder() throws Exception {
        broker = new MosquittoBroker(Files.createTempDirectory("mosquitto"));
        Mosquitto external = new Mosquitto(broker.port, null, null);

        // the receiving side subscribes first (mosquitto keeps its session across restarts), then the broker goes down
        broker.start();
        external.subscribe("it-bounded", "edgeai/gateways/it-bounded/results/#");
        broker.stop();
        awaitHttpServes();

        // drop-oldest: 8 readings into a store of 5 while the broker is down: 3..7 arrive, 3 dropped
        Connector store = configure(Map.of("url", "tcp://127.0.0.1:" + broker.port, "gatewayId", "it-bounded",
                "maxMessages", "5", "overflow", "drop-oldest", "maxReconnectDelaySeconds", "1"));
        send(0, 8);
        assertEquals(5L, (long) ConnectorCounts.of(store).get("queued"));
        assertEquals(3L, (long) ConnectorCounts.of(store).get("dropped.oldest"));
        broker.start();
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> ConnectorCounts.of(store).get("queued") == 0);
        assertEquals(List.of(3, 4, 5, 6, 7), values(external.receive("it-bounded", 5,
                "edgeai/gateways/it-bounded/results/#")));

        // drop-newest: the first 3 stay, the 2 after them are refused (a new receiving session: mosquitto_sub -C
        // may leave with its last message unacknowledged, which mosquitto would then deliver again)
        external.subscribe("it-bounded-2", "edgeai/gateways/it-bounded/results/#");
        broker.stop();
        Connector refusing = configure(Map.of("url", "tcp://127.0.0.1:" + broker.port, "gatewayId", "it-bounded",
                "maxMessages", "3", "overflow", "drop-newest", "maxReconnectDelaySeconds", "1"));
        send(10, 15);
        assertEquals(3L, (long) ConnectorCounts.of(refusing).get("queued"));
        assertEquals(2L, (long) ConnectorCounts.of(refusing).get("dropped.newest"));
        broker.start();
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> ConnectorCounts.of(refusing).get("queued") == 0);
        assertEquals(List.of(10, 11, 12), values(external.receive("it-bounded-2", 3,
                "edgeai/gateways/it-bounded/results/#")));
    }

    /** Configures the uplink as an operator does at the console; returns it once it runs so, not connected. */
    private Connector configure(Map<String, String> settings) throws Exception {
        Connector before = current();
        StringBuilder commands = new StringBuilder("config:edit io.edgeai.connector.mqtt.uplink");
        settings.forEach((key, value) -> commands.append("; config:property-set ").append(key).append(' ')
                .append(value));
        executeCommand(commands.append("; config:update").toString());
        return await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(this::current,
                c -> c != null && c != before && c.health().status() == Status.DEGRADED);
    }

    private Connector current() throws Exception {
        var refs = bundleContext.getServiceReferences(Connector.class, "(connector.name=uplink)");
        return refs.isEmpty() ? null : bundleContext.getService(refs.iterator().next());
    }

    /** Readings n = from..to-1 over HTTP (curl), each answered with 200 before the next. */
    private void send(int from, int to) throws Exception {
        for (int n = from; n < to; n++) {
            assertEquals("reading " + n, "200", Curl.postValue(httpBase() + "/api/v1/telemetry/bounded", n));
        }
    }

    /** The servlet is registered a moment after the connector service: until then Jetty answers a bare 404. */
    private void awaitHttpServes() {
        Curl.awaitServlet(httpBase(), Duration.ofSeconds(TIMEOUT_SECONDS));
    }

    private String httpBase() {
        return "http://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=http)").endpoint(), "http");
    }


    private static List<Integer> values(List<String> lines) {
        List<Integer> values = new ArrayList<>();
        for (String line : lines) {
            Matcher m = VALUE.matcher(line);
            if (m.find()) {
                values.add(Integer.parseInt(m.group(1)));
            }
        }
        return values;
    }
}
