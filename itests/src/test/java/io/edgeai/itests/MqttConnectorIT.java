package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

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
import org.ops4j.pax.exam.Option;

/**
 * The MQTT connector against Eclipse Mosquitto's clients, MQTT 3.1.1 and 5: readings in, results on
 * edgeai/predictions/{deviceId}; every kind of bad input refused on edgeai/errors/{deviceId} (or by the protocol, for
 * logins and foreign topics), counted by reason, and the next good reading still served; TLS with the gateway's own
 * certificate; device accounts kept to their own devices' topics.
 */
public class MqttConnectorIT extends EdgeAiTestSupport {

    @Override
    protected Option[] additionalOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/users.properties", "iso-a", "iso-a-secret,edgeai-device"),
            editConfigurationFilePut("etc/users.properties", "iso-gw", "iso-gw-secret,edgeai-device"),
            editConfigurationFilePut("etc/edgeai-device-accounts.properties", "iso-gw", "iso-x-*")};
    }

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
        Map<String, Long> before = ConnectorCounts.of(mqtt);
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

        Map<String, Long> after = ConnectorCounts.of(mqtt);
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
    public void deviceAccountsReadAndWriteOnlyTheirOwnDevicesTopics() throws Exception {
        Connector mqtt = connector();
        String port = port(mqtt.endpoint(), "mqtt");
        Mosquitto a = new Mosquitto(port, "iso-a", "iso-a-secret");
        Mosquitto gateway = new Mosquitto(port, "iso-gw", "iso-gw-secret");
        Map<String, Long> before = ConnectorCounts.of(mqtt);

        // its own device: published, answered, readable
        a.subscribe("iso-a-own", "edgeai/predictions/iso-a", "edgeai/errors/iso-a");
        assertEquals(0, a.pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/telemetry/iso-a",
                "-m", "{\"ts\": 1764450000000, \"values\": {\"t\": 5}}").exit());
        assertEquals(List.of("edgeai/predictions/iso-a " + answer("iso-a", 1764450000000L, "\"t\":5.0")),
                a.receive("iso-a-own", 1, "edgeai/predictions/iso-a", "edgeai/errors/iso-a"));

        // other devices' results and refusals, by name or by wildcard, and the whole broker: refused in the SUBACK
        for (String version : List.of("mqttv5", "mqttv311")) {
            for (String filter : List.of("edgeai/predictions/#", "edgeai/predictions/+", "edgeai/errors/iso-x-1",
                    "edgeai/predictions/iso-b", "#")) {
                Mosquitto.Result denied = a.trySubscribe("iso-a-peek", version, filter);
                assertTrue(version + " " + filter + ": " + denied.output(),
                        denied.output().contains("All subscription requests were denied"));
            }
        }
        // readings and labels for another device: MQTT 5 hears "not authorized", 3.1.1 loses its connection
        Mosquitto.Result foreign = a.pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/telemetry/iso-b", "-m",
                "{\"values\": {\"t\": 6}}");
        assertTrue(foreign.output(), foreign.output().contains("Not authorized"));
        assertTrue(a.pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/labels/iso-b", "-m", "{\"value\": 1}")
                .output().contains("Not authorized"));
        long brokerErrors = brokerErrorLines();
        assertNotEquals(0, a.pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/telemetry/iso-b", "-m",
                "{\"values\": {\"t\": 6}}").exit());
        // closed by the gateway, counted, not through the broker's error path (an ERROR and a stack trace each)
        assertEquals(brokerErrors, brokerErrorLines());

        // an account listed in etc/edgeai-device-accounts.properties acts for its devices (iso-x-*), one by one
        gateway.subscribe("iso-gw-own", "edgeai/predictions/iso-x-1");
        assertEquals(0, gateway.pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/telemetry/iso-x-1",
                "-m", "{\"ts\": 1764450000000, \"values\": {\"t\": 7}}").exit());
        assertEquals(List.of("edgeai/predictions/iso-x-1 " + answer("iso-x-1", 1764450000000L, "\"t\":7.0")),
                gateway.receive("iso-gw-own", 1, "edgeai/predictions/iso-x-1"));
        assertTrue(gateway.trySubscribe("iso-gw-all", "mqttv5", "edgeai/predictions/+").output()
                .contains("All subscription requests were denied"));
        assertTrue(gateway.pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/telemetry/iso-a", "-m", "{}").output()
                .contains("Not authorized"));

        // a device cannot take over another account's persistent session (and its subscriptions) by its client id
        assertNotEquals(0, a.trySubscribe("iso-gw-own", "mqttv311", "edgeai/predictions/iso-a").exit());
        // the console's account has no rights on the broker
        assertTrue(new Mosquitto(port, "karaf", "karaf").trySubscribe("it-console", "mqttv5", "#").output()
                .contains("All subscription requests were denied"));

        // nothing of another device was processed; every refusal counted
        assertEquals(java.util.Optional.empty(),
                waitForService(io.edgeai.api.reading.LatestResults.class, null).latest("iso-b"));
        Map<String, Long> after = ConnectorCounts.of(mqtt);
        assertEquals(2, delta(before, after, "accepted"));
        assertTrue(after.toString(), delta(before, after, "rejected.unauthorized") >= 12);
    }

    @Test
    public void whileTheConnectorIsAwayItsListenersHoldDevicesRatherThanServeThemUnguarded() throws Exception {
        Connector mqtt = connector();
        Mosquitto a = new Mosquitto(port(mqtt.endpoint(), "mqtt"), "iso-a", "iso-a-secret");
        org.osgi.framework.Bundle bundle = bundle("io.edgeai.connector.mqtt");
        java.util.concurrent.CompletableFuture<Mosquitto.Result> own;
        java.util.concurrent.CompletableFuture<Mosquitto.Result> foreign;
        executeCommand("bundle:stop " + bundle.getBundleId());
        try {
            own = publishLater(a, "edgeai/telemetry/iso-a", "{\"ts\": 1764450009000, \"values\": {\"t\": 9}}");
            foreign = publishLater(a, "edgeai/telemetry/iso-b", "{\"ts\": 1764450009000, \"values\": {\"t\": 9}}");
            // no device isolation without the connector: neither publish is taken while it is away
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> !own.isDone() && !foreign.isDone());
        } finally {
            executeCommand("bundle:start " + bundle.getBundleId());
        }
        // the next connector lets them go, under its guards: its own reading processed, the other device's refused
        assertEquals(own.get(60, java.util.concurrent.TimeUnit.SECONDS).output(), 0,
                own.get().exit());
        assertTrue(foreign.get(60, java.util.concurrent.TimeUnit.SECONDS).output(),
                foreign.get().output().contains("Not authorized"));
        io.edgeai.api.reading.LatestResults latest = waitForService(io.edgeai.api.reading.LatestResults.class, null);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> latest.latest("iso-a")
                .filter(result -> result.reading().timestamp().toEpochMilli() == 1764450009000L).isPresent());
        assertEquals(java.util.Optional.empty(), latest.latest("iso-b"));
    }

    private static java.util.concurrent.CompletableFuture<Mosquitto.Result> publishLater(Mosquitto client,
            String topic, String json) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return client.pub("-V", "mqttv5", "-q", "1", "-t", topic, "-m", json);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Artemis's "AMQ834002: Error processing control packet" lines in the gateway's log. */
    private static long brokerErrorLines() throws java.io.IOException {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of(System.getProperty("karaf.data"), "log",
                "karaf.log")).stream().filter(l -> l.contains("AMQ834002")).count();
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
