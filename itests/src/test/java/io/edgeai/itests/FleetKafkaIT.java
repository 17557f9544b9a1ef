package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.Test;

/**
 * The fleet link (feature edgeai-fleet-kafka) against a real Kafka broker in KRaft mode ({@link KafkaBroker}): readings
 * from several devices over HTTP (curl) while the cluster is up, while it is down, and while it is down across a
 * restart of the gateway, all reach the results topic once it is back: none lost, in order per device, each once; alerts
 * on their own topic; the gateway's status on the compacted status topic.
 */
public class FleetKafkaIT extends FleetTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DEVICES = List.of("pump-1", "pump-2", "fan-1");

    @Test
    public void everyResultReachesTheClusterInOrderAcrossItsOutageAndAGatewayRestart() throws Exception {
        startKafka(Map.of("edgeai.results", new int[] {3, 0}, "edgeai.alerts", new int[] {3, 0},
                "edgeai.gateways", new int[] {1, 1}, "edgeai.models", new int[] {1, 1}));
        GatewayProcess gateway = fleetGateway("gw-a");
        gateway.set(FLEET_CFG, "timeoutSeconds", "3");
        gateway.set(FLEET_CFG, "maxRetryDelaySeconds", "1");
        startGateway(gateway, 1);

        int sent = 0;
        int acknowledged = 0;
        // up: 0..19 of each device
        acknowledged += send(gateway, 0, 20);
        sent += 20 * DEVICES.size();
        try (KafkaConsumer<byte[], byte[]> results = kafka.consumer(List.of("edgeai.results"))) {
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                got.addAll(KafkaBroker.poll(results));
                return got.size() >= 20 * DEVICES.size();
            });
            kafka.stop(); // the cluster is away
            acknowledged += send(gateway, 20, 40);
            sent += 20 * DEVICES.size();
            gateway.stop(); // and the gateway restarts meanwhile
            startGateway(gateway, 2);
            acknowledged += send(gateway, 40, 60);
            sent += 20 * DEVICES.size();
            String kept = gateway.console("edgeai:connector-list");
            kafka.start();
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    got.addAll(KafkaBroker.poll(results));
                    return delivered(got).size() >= 60 * DEVICES.size();
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("delivered " + delivered(got).size() + " of " + sent + "; the gateway says:\n"
                        + gateway.console("edgeai:connector-list") + "\nlog:\n" + gateway.logText().lines()
                        .filter(l -> l.contains("Fleet") || l.contains("WARN") || l.contains("ERROR"))
                        .collect(java.util.stream.Collectors.joining("\n")), e);
            }
            got.addAll(KafkaBroker.poll(results));
            Map<String, List<Integer>> byDevice = firstArrivals(got);
            int lost = 0;
            int outOfOrder = 0;
            for (String device : DEVICES) {
                List<Integer> values = byDevice.getOrDefault(device, List.of());
                lost += 60 - new HashSet<>(values).size();
                for (int i = 1; i < values.size(); i++) {
                    outOfOrder += values.get(i) < values.get(i - 1) ? 1 : 0;
                }
            }
            int duplicates = got.size() - delivered(got).size();
            System.out.printf("fleet-kafka outage: sent %d, acknowledged %d, delivered %d, lost %d, out of order %d,"
                    + " duplicates %d%n", sent, acknowledged, delivered(got).size(), lost, outOfOrder, duplicates);
            assertEquals("acknowledged", sent, acknowledged);
            assertEquals("lost", 0, lost);
            assertEquals("out of order", 0, outOfOrder);
            assertEquals("sent twice (a clean stop and restart acknowledges what went)", 0, duplicates);
            assertTrue("kept while the cluster was away: " + kept, kept.contains("kafka"));
            for (ConsumerRecord<byte[], byte[]> record : got) {
                JsonNode value = JSON.readTree(record.value());
                assertEquals("gw-a/" + value.get("deviceId").asText(), new String(record.key(),
                        StandardCharsets.UTF_8));
                assertEquals("gw-a", new String(record.headers().lastHeader("edgeai-gateway").value(),
                        StandardCharsets.UTF_8));
            }
        }
        // the gateway's status: compacted, keyed by the gateway
        try (KafkaConsumer<byte[], byte[]> status = kafka.consumer(List.of("edgeai.gateways"))) {
            JsonNode[] last = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : KafkaBroker.poll(status)) {
                    last[0] = JSON.readTree(record.value());
                }
                return last[0] != null && last[0].path("outbox").path("queued").asLong(-1) == 0;
            });
            assertEquals("gw-a", last[0].get("gatewayId").asText());
            assertTrue(last[0].toString(), last[0].path("health").isArray());
        }
        assertEquals("errors in karaf.log", "", gateway.errors());
    }

    /** Starts the gateway ({@code n}-th start), installs the fleet feature the first time, waits for its link. */
    private void startGateway(GatewayProcess gateway, int n) throws Exception {
        gateway.start(false);
        gateway.awaitConnectors();
        if (n == 1) {
            GatewayProcess.Script install = gateway.install("edgeai-fleet-kafka");
            assertEquals(install.output(), 0, install.exit());
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> !gateway.alive()
                || gateway.logText().split("Fleet link to ", -1).length > n
                && Curl.servletServes("http://127.0.0.1:" + gateway.httpPort));
        assertTrue("gateway exited: " + gateway.consoleOut(), gateway.alive());
    }

    /** Readings n = from..to-1 of every device, round robin; returns how many were answered 200. */
    private static int send(GatewayProcess gateway, int from, int to) throws Exception {
        int ok = 0;
        for (int n = from; n < to; n++) {
            for (String device : DEVICES) {
                String status = Curl.postValue("http://127.0.0.1:" + gateway.httpPort + "/api/v1/telemetry/" + device,
                        n);
                assertEquals("reading " + n + " of " + device, "200", status);
                ok++;
            }
        }
        return ok;
    }

    /** Distinct (device, seq) pairs. */
    private static Set<String> delivered(List<ConsumerRecord<byte[], byte[]>> got) throws Exception {
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : got) {
            JsonNode value = JSON.readTree(record.value());
            seen.add(value.get("deviceId").asText() + "#" + value.get("seq").asLong());
        }
        return seen;
    }

    /** Each device's values in the order they first arrived (a message sent again does not count twice). */
    private static Map<String, List<Integer>> firstArrivals(List<ConsumerRecord<byte[], byte[]>> got)
            throws Exception {
        Map<String, List<Integer>> values = new TreeMap<>();
        Map<String, Set<Long>> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : got) {
            JsonNode value = JSON.readTree(record.value());
            String device = value.get("deviceId").asText();
            if (seen.computeIfAbsent(device, d -> new HashSet<>()).add(value.get("seq").asLong())) {
                values.computeIfAbsent(device, d -> new ArrayList<>()).add(value.get("values").get("n").asInt());
            }
        }
        return values;
    }
}
