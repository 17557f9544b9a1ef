package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.anomaly.AnomalyWatch;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.junit.Test;
import org.osgi.framework.Bundle;

/**
 * The embedded default in the booted assembly, with nothing uploaded and no model configured: a device's stream is
 * learnt after its warm-up (a training job, a registered and promoted version), its readings are then answered with a
 * score and an anomaly flag over HTTP (curl-equivalent JDK client) and CoAP (libcoap's coap-client), a spike is
 * flagged with the value the model expected, and after a restart of the training bundle the stream goes on with the
 * same version without training again.
 */
public class AnomalyWatchIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARMUP = 150;
    private static final long T0 = 1_764_450_000_000L;

    private final Random noise = new Random(11);

    /** A daily cycle sampled every hour, with a little noise; {@code extra} added to the temperature. */
    private String reading(int hour, double extra) {
        double temperature = 20 + 5 * Math.sin(2 * Math.PI * hour / 24) + 0.05 * noise.nextGaussian() + extra;
        double humidity = 60 - 10 * Math.sin(2 * Math.PI * hour / 24) + 0.1 * noise.nextGaussian();
        return String.format(Locale.ROOT, "{\"ts\": %d, \"values\": {\"temperature\": %.4f, \"humidity\": %.4f}}",
                T0 + hour * 3_600_000L, temperature, humidity);
    }

    @Test
    public void aFreshGatewayLearnsEachStreamAndFlagsItsAnomalies() throws Exception {
        // one change of the configuration, as an operator makes it: the watch restarts once
        executeCommand("config:edit io.edgeai.anomaly; config:property-set warmupReadings " + WARMUP
                + "; config:property-set retrainEvery 0; config:property-set trainingReadings " + WARMUP
                + "; config:update");
        ModelRegistry registry = waitForService(ModelRegistry.class, null);
        String telemetry = ModelsApi.base(port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http")).replace("/models", "/telemetry/pump-7");
        // the watch restarts with the configuration: wait until it counts the warm-up asked for
        String[] probe = {""};
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> (probe[0] = Http.postJson(
                    telemetry.replace("pump-7", "probe-" + System.nanoTime()), reading(0, 0)).body())
                    .contains("learning 1/" + WARMUP));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the watch did not take warmupReadings = " + WARMUP + "; last answer: "
                    + probe[0] + "; configuration: " + executeCommand("config:property-list -p io.edgeai.anomaly"), e);
        }

        int hour = 0;
        for (; hour < WARMUP; hour++) {
            Http.Answer answer = Http.postJson(telemetry, reading(hour, 0));
            assertEquals(answer.body(), 200, answer.status());
            JsonNode result = JSON.readTree(answer.body());
            assertFalse(answer.body(), result.has("score"));
            assertTrue(answer.body(), result.path("watch").path("detail").asText().startsWith("learning")
                    || result.path("watch").path("state").asText().equals("training"));
        }
        // the warm-up is complete: a training job runs; readings are answered while it does
        JsonNode[] last = new JsonNode[1];
        int[] at = {hour};
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
            last[0] = JSON.readTree(Http.postJson(telemetry, reading(at[0]++, 0)).body());
            return last[0].has("score");
        });
        hour = at[0];
        ModelVersion active = registry.active("anomaly-pump-7").orElseThrow();
        assertEquals(1, active.version());
        assertEquals("anomaly-pump-7", last[0].get("model").asText());
        assertEquals(1, last[0].get("version").asInt());
        assertTrue(executeCommand("edgeai:job-list").contains("anomaly-pump-7"));

        // normal readings are not flagged; the answer says what the model expected
        for (int i = 0; i < 48; i++, hour++) {
            JsonNode result = JSON.readTree(Http.postJson(telemetry, reading(hour, 0)).body());
            assertFalse(result.toString(), result.get("anomaly").asBoolean());
            double expected = 20 + 5 * Math.sin(2 * Math.PI * hour / 24);
            assertEquals(result.toString(), expected, result.get("expected").get("temperature").asDouble(), 0.5);
        }
        // a spike of 4 degrees (a hundred times the noise, less than the daily swing) is flagged, alone
        JsonNode spike = JSON.readTree(Http.postJson(telemetry, reading(hour++, 4)).body());
        assertTrue(spike.toString(), spike.get("anomaly").asBoolean());
        assertTrue(spike.toString(), spike.get("score").asDouble() > spike.get("threshold").asDouble());
        JsonNode after = JSON.readTree(Http.postJson(telemetry, reading(hour++, 0)).body());
        assertFalse(after.toString(), after.get("anomaly").asBoolean());

        // CoAP devices get the same answers (libcoap's coap-client)
        String coap = "coap://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=coap)").endpoint(),
                "coap") + "/telemetry/pump-7";
        String coapAnswer = CoapClient.postJson(coap, reading(hour++, -4));
        assertTrue(coapAnswer, coapAnswer.contains("\"model\":\"anomaly-pump-7\"")
                && coapAnswer.contains("\"anomaly\":true"));
        assertTrue(executeCommand("edgeai:watch-list"), executeCommand("edgeai:watch-list")
                .matches("(?s).*pump-7.*WATCHING.*anomaly-pump-7.*"));

        // a restart keeps the stream's calibrated version: after the few readings it looks back on, it scores again
        Bundle training = bundle("io.edgeai.training");
        training.stop();
        training.start();
        waitForService(AnomalyWatch.class, null);
        JsonNode resumed;
        int sent = 0;
        do {
            resumed = JSON.readTree(Http.postJson(telemetry, reading(hour++, 0)).body());
            sent++;
        } while (!resumed.has("score") && sent < 20);
        assertEquals(resumed.toString(), 9, sent); // the 8 readings of its window, then scored
        assertEquals(1, resumed.get("version").asInt());
        assertEquals(1, registry.versions("anomaly-pump-7").size());
    }
}
