package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.monitoring.Status;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The MQTT connector against Eclipse Mosquitto's clients, MQTT 3.1.1 and 5: readings in, results on
 * edgeai/predictions/{deviceId}; every kind of bad input refused on edgeai/errors/{deviceId} (or by the protocol, for
 * logins and foreign topics), counted by reason, and the next good reading still served; TLS with the gateway's own
 * certificate; a live switch to binding devices to their MQTT user.
 */
public class MqttConnectorIT extends EdgeAiTestSupport {

    private Connector connector() {
        Connector mqtt = waitForService(Connector.class, "(connector.name=mqtt)");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> mqtt.health().status() == Status.UP);
        return mqtt;
    }

    private Mosquitto device(Connector mqtt) {
        return new Mosquitto(port(mqtt.endpoint(), "mqtt"), MQTT_USER, MQTT_PASSWORD);
    }

    @Test
    public void readingsOverMqtt311And5AreAnsweredOnThePredictionsTopic() throws Exception {
        Mosquitto mosquitto = device(connector());
        mosquitto.subscribe("it-results", "edgeai/predictions/m1");

        assertEquals(0, mosquitto.pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/telemetry/m1",
                "-m", "{\"ts\": 1764450000000, \"values\": {\"temperature\": 21.5}}").exit());
        assertEquals(0, mosquitto.pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/telemetry/m1",
                "-m", "{\"ts\": 1764450001000, \"values\": {\"temperature\": 22}}").exit());
        assertEquals(0, mosquitto.pub("-V", "mqttv5", "-q", "0", "-t", "edgeai/telemetry/m1",
                "-D", "publish", "content-type", "application/senml+json",
                "-m", "[{\"bt\": 1764450002, \"n\": \"temperature\", \"v\": 23}]").exit());

        assertEquals(List.of(
                "edgeai/predictions/m1 " + answer("m1", 1764450000000L, "\"temperature\":21.5"),
                "edgeai/predictions/m1 " + answer("m1", 1764450001000L, "\"temperature\":22.0", 2),
                "edgeai/predictions/m1 " + answer("m1", 1764450002000L, "\"temperature\":23.0", 3)),
                mosquitto.receive("it-results", 3, "edgeai/predictions/m1"));
    }

    @Test
    public void badInputIsRefusedOnTheErrorTopicCountedAndTheNextReadingServed() throws Exception {
        Connector mqtt = connector();
        Mosquitto mosquitto = device(mqtt);
        mosquitto.subscribe("it-errors", "edgeai/errors/m2", "edgeai/errors/it-stray", "edgeai/predictions/m2");
        Map<String, Long> before = mqtt.counters();
        Path huge = Files.createTempFile("mqtt", ".json");
        Files.writeString(huge, "{\"values\": {\"t\": 1}, \"pad\": \"" + "x".repeat(1024 * 1024) + "\"}");

        String[] v5 = {"-V", "mqttv5", "-q", "1", "-t", "edgeai/telemetry/m2"};
        assertEquals(0, mosquitto.pub(concat(v5, "-m", "{\"values\": {\"t\": ")).exit());
        assertEquals(0, mosquitto.pub(concat(v5, "-m", "{\"values\": {\"t\": NaN}}")).exit());
        assertEquals(0, mosquitto.pub(concat(v5, "-m", "{\"values\": {\"t\": Infinity}}")).exit());
        assertEquals(0, mosquitto.pub(concat(v5, "-n")).exit());
        assertEquals(0, mosquitto.pub(concat(v5, "-f", huge.toString())).exit());
        assertEquals(0, mosquitto.pub(concat(v5, "-D", "publish", "content-type", "text/plain", "-m", "t=1")).exit());
        assertEquals(0, mosquitto.pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/telemetry/m2/extra",
                "-m", "{\"values\": {\"t\": 1}}").exit());
        // outside the served topics: MQTT 5 gets PUBACK "not authorized", 3.1.1 a closed connection
        Mosquitto.Result stray = mosquitto.pub("-V", "mqttv5", "-q", "1", "-i", "it-stray", "-t", "edgeai/models/m2",
                "-m", "{}");
        assertTrue(stray.output(), stray.output().contains("Not authorized"));
        assertNotEquals(0, mosquitto.pub("-V", "mqttv311", "-q", "1", "-i", "it-stray", "-t", "edgeai/models/m2",
                "-m", "{}").exit());
        // wrong password, no login at all
        Mosquitto.Result wrong = new Mosquitto(port(mqtt.endpoint(), "mqtt"), MQTT_USER, "wrong")
                .pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/telemetry/m2", "-m", "{}");
        assertTrue(wrong.output(), wrong.output().contains("Bad User Name or Password"));
        assertNotEquals(0, new Mosquitto(port(mqtt.endpoint(), "mqtt"), null, null)
                .pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/telemetry/m2", "-m", "{}").exit());
        // and the gateway still serves
        assertEquals(0, mosquitto.pub(concat(v5, "-m", "{\"ts\": 1764450000000, \"values\": {\"t\": 5}}")).exit());

        List<String> received = mosquitto.receive("it-errors", 10, "edgeai/errors/m2", "edgeai/errors/it-stray",
                "edgeai/predictions/m2");
        List<String> reasons = received.stream().filter(line -> line.startsWith("edgeai/errors/m2 "))
                .map(line -> line.replaceAll(".*\"reason\":\"([a-z_]+)\".*", "$1")).toList();
        assertEquals(List.of("malformed", "non_finite", "non_finite", "empty", "too_large", "unsupported_format",
                "unknown_resource"), reasons);
        assertEquals(received.toString(), 2, received.stream()
                .filter(line -> line.startsWith("edgeai/errors/it-stray ") && line.contains("unknown_resource")).count());
        assertTrue(received.toString(), received.contains(
                "edgeai/predictions/m2 " + answer("m2", 1764450000000L, "\"t\":5.0")));

        Map<String, Long> after = mqtt.counters();
        assertEquals(1, delta(before, after, "rejected.malformed"));
        assertEquals(2, delta(before, after, "rejected.non_finite"));
        assertEquals(1, delta(before, after, "rejected.empty"));
        assertEquals(1, delta(before, after, "rejected.too_large"));
        assertEquals(1, delta(before, after, "rejected.unsupported_format"));
        assertEquals(3, delta(before, after, "rejected.unknown_resource"));
        assertEquals(2, delta(before, after, "rejected.unauthorized"));
        assertEquals(1, delta(before, after, "accepted"));
        assertEquals(12, delta(before, after, "received"));
        assertEquals(Status.UP, mqtt.health().status());
    }

    @Test
    public void tlsListenerServesWithTheGatewaysOwnCertificate() throws Exception {
        Connector mqtt = connector();
        Path keystore = Path.of(System.getProperty("karaf.etc"), "edgeai-mqtt-tls.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "edgeai-mqtt".toCharArray());
        }
        Certificate certificate = store.getCertificate(store.aliases().nextElement());
        Path ca = Files.createTempFile("edgeai-ca", ".pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Mosquitto tls = new Mosquitto(port(mqtt.endpoint(), "mqtts"), MQTT_USER, MQTT_PASSWORD);
        Mosquitto plain = device(mqtt);
        plain.subscribe("it-tls", "edgeai/predictions/m3");

        Mosquitto.Result published = tls.pub("--cafile", ca.toString(), "-V", "mqttv5", "-q", "1",
                "-t", "edgeai/telemetry/m3", "-m", "{\"ts\": 1764450000000, \"values\": {\"t\": 3}}");
        assertEquals(published.output(), 0, published.exit());
        assertEquals(List.of("edgeai/predictions/m3 " + answer("m3", 1764450000000L, "\"t\":3.0")),
                plain.receive("it-tls", 1, "edgeai/predictions/m3"));
        // plain MQTT on the TLS port does not get in
        assertNotEquals(0, new Mosquitto(port(mqtt.endpoint(), "mqtts"), MQTT_USER, MQTT_PASSWORD)
                .pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/telemetry/m3", "-m", "{}").exit());
    }

    @Test
    public void devicesCanBeBoundToTheirMqttUserLive() throws Exception {
        Connector mqtt = connector();
        String listeners = mqtt.endpoint();
        executeCommand("config:property-set -p io.edgeai.connector.mqtt bindDeviceToUser true");
        try {
            Connector bound = await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
                var refs = bundleContext.getServiceReferences(Connector.class, "(connector.name=mqtt)");
                return refs.isEmpty() ? null : bundleContext.getService(refs.iterator().next());
            }, c -> c != null && c != mqtt && c.health().status() == Status.UP);
            assertEquals("the listeners stay as they were", listeners, bound.endpoint());
            Mosquitto mosquitto = device(bound);
            mosquitto.subscribe("it-bound", "edgeai/errors/m4", "edgeai/predictions/" + MQTT_USER);
            assertEquals(0, mosquitto.pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/telemetry/m4",
                    "-m", "{\"values\": {\"t\": 4}}").exit());
            assertEquals(0, mosquitto.pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/telemetry/" + MQTT_USER,
                    "-m", "{\"ts\": 1764450000000, \"values\": {\"t\": 4}}").exit());
            List<String> received = mosquitto.receive("it-bound", 2, "edgeai/errors/m4",
                    "edgeai/predictions/" + MQTT_USER);
            // two subscriptions, two queues: their messages may interleave either way
            assertTrue(received.toString(), received.stream().anyMatch(line -> line.startsWith("edgeai/errors/m4 ")
                    && line.contains("\"reason\":\"unauthorized\"")));
            assertTrue(received.toString(), received.contains("edgeai/predictions/" + MQTT_USER + " "
                    + answer(MQTT_USER, 1764450000000L, "\"t\":4.0")));
        } finally {
            executeCommand("config:property-set -p io.edgeai.connector.mqtt bindDeviceToUser false");
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
