package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A full disk survived: the assembly runs with the broker's storage on a 48 MB tmpfs; the test fills it below the
 * connector's reserve while a device publishes QoS 1 readings, then frees it. Refused publishes hear why (MQTT 5 PUBACK
 * 0x97 quota exceeded, 3.1.1 a closed connection), the connector and the health say DEGRADED with the reason,
 * {@code /metrics} keeps answering, every reading the broker acknowledged is processed, and the broker takes readings
 * again by itself once space returns, without a restart.
 */
public class DiskFullIT {

    private static final long MB = 1024 * 1024;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private GatewayProcess gateway;

    @After
    public void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
    }

    @Test
    public void everyAcknowledgedReadingIsProcessedAndTheBrokerRecoversByItself() throws Exception {
        gateway = GatewayProcess.unpack(tmp.getRoot().toPath());
        gateway.set("etc/users.properties", "disk-app", "disk-secret,edgeai-app");
        gateway.set("etc/io.edgeai.connector.mqtt.cfg", "minFreeMegabytes", "16");
        gateway.set("etc/io.edgeai.connector.mqtt.cfg", "minFreePercent", "0");
        gateway.startWithSmallBrokerStorage("48m");
        Mosquitto mqtt = new Mosquitto(gateway.mqttPort, "disk-app", "disk-secret");
        String base = "http://127.0.0.1:" + gateway.httpPort;
        await().atMost(Duration.ofSeconds(180)).until(() -> gateway.alive()
                && mqtt.pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/telemetry/disk-0", "-m", "{\"values\": {\"t\": 0}}")
                        .exit() == 0);
        mqtt.subscribe("disk-answers", "edgeai/predictions/disk-1");
        List<Long> acknowledged = new ArrayList<>();

        publish(mqtt, 1, 10, acknowledged);
        assertEquals("before the disk fills every reading is taken", 10, acknowledged.size());

        // fill the broker's storage to 8 MB free, below the 16 MB reserve
        Path storage = gateway.brokerStorage();
        Path filler = storage.resolve("filler");
        FileStore store = Files.getFileStore(storage);
        long fill = store.getUsableSpace() - 8 * MB;
        assertTrue("room to fill: " + store.getUsableSpace(), fill > 0);
        try (var out = Files.newOutputStream(filler)) {
            byte[] chunk = new byte[(int) MB];
            for (long written = 0; written < fill; written += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, fill - written));
            }
        }
        Mosquitto.Result refused = await().atMost(Duration.ofSeconds(30)).until(() -> mqtt.pub("-V", "mqttv5", "-q",
                "1", "-t", "edgeai/telemetry/disk-2", "-m", "{\"values\": {\"t\": 1}}"),
                r -> r.output().contains("Quota exceeded"));
        assertTrue(refused.output(), refused.output().contains("Quota exceeded"));
        assertNotEquals("3.1.1 cannot be told: its connection is closed", 0, mqtt.pub("-V", "mqttv311", "-q", "1",
                "-t", "edgeai/telemetry/disk-2", "-m", "{\"values\": {\"t\": 1}}").exit());
        int before = acknowledged.size();
        publish(mqtt, 101, 10, acknowledged);
        assertEquals("while the reserve is short nothing new is taken", before, acknowledged.size());
        String health = Curl.run(base + "/api/v1/health");
        assertTrue(health, health.matches("(?s).*\"component\":\"connector-mqtt\",\"status\":\"DEGRADED\","
                + "\"reason\":\"[^\"]*new QoS 1/2 publishes refused: \\d+ MB free of the broker's storage, reserve 16"
                + " MB.*"));
        String metrics = Curl.run("-w", "\n%{http_code}", base + "/metrics");
        assertTrue(metrics.endsWith("200"));
        double storageFull = metrics.lines()
                .filter(l -> l.startsWith("edgeai_connector_rejected_total{connector=\"mqtt\",reason=\"storage_full\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
        assertTrue("refusals counted: " + storageFull, storageFull >= 12);

        // space returns: the broker takes readings again by itself
        Files.delete(filler);
        await().atMost(Duration.ofSeconds(30)).until(() -> mqtt.pub("-V", "mqttv5", "-q", "1", "-t",
                "edgeai/telemetry/disk-2", "-m", "{\"values\": {\"t\": 2}}").output().isEmpty());
        publish(mqtt, 201, 10, acknowledged);
        assertEquals(before + 10, acknowledged.size());

        // every acknowledged reading was processed: its answer is there, in order
        List<String> answers = mqtt.receive("disk-answers", acknowledged.size(), "edgeai/predictions/disk-1");
        for (int i = 0; i < acknowledged.size(); i++) {
            assertTrue(answers.get(i), answers.get(i).contains("\"ts\":" + acknowledged.get(i) + ","));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Curl.run(base + "/api/v1/health")
                .contains("\"component\":\"connector-mqtt\",\"status\":\"UP\""));
        assertTrue(gateway.alive());
        assertFalse(gateway.logText().contains("No space left on device"));
    }

    /** {@code count} QoS 1 readings of device disk-1 with ts = first.., each its own connection; records the taken. */
    private static void publish(Mosquitto mqtt, long first, int count, List<Long> acknowledged) throws Exception {
        for (long ts = first; ts < first + count; ts++) {
            Mosquitto.Result result = mqtt.pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/telemetry/disk-1",
                    "-m", "{\"ts\": " + ts + ", \"values\": {\"t\": " + ts + "}}");
            if (result.exit() == 0 && result.output().isEmpty()) {
                acknowledged.add(ts);
            }
        }
    }
}
