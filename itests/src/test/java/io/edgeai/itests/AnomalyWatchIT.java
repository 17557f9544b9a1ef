package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.anomaly.AnomalyWatch;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.junit.Test;
import org.osgi.framework.Bundle;

/**
 * The embedded default in the booted assembly, with nothing uploaded and no model configured, its learned
 * forecaster switched on as an operator does: a device's stream is scored by the statistical detectors from its
 * 27th reading on (HTTP, curl-equivalent JDK client), also while its forecaster trains; the forecaster joins once
 * trained (a training job, a registered and promoted version); a spike opens an anomaly episode with one alert and
 * the value the model expected and the value that drove it (in the answer and in the headers a route hears on
 * edgeai:results); CoAP devices (libcoap's coap-client) get the same answers; after a restart of the
 * training bundle the stream takes up where it was: scored from its next reading, with the same version, without
 * training again.
 */
public class AnomalyWatchIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARMUP = 150;
    private static final int FIRST_SCORE = 27;
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
    public void aFreshGatewayScoresEachStreamFromItsFirstReadingsAndFlagsItsAnomalies() throws Exception {
        // one change of the configuration, as an operator makes it: the watch restarts once
        executeCommand("config:edit io.edgeai.anomaly; config:property-set forecaster true"
                + "; config:property-set warmupReadings " + WARMUP
                + "; config:property-set retrainEvery 0; config:property-set trainingReadings " + WARMUP
                + "; config:update");
        ModelRegistry registry = waitForService(ModelRegistry.class, null);
        String telemetry = ModelsApi.base(port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http")).replace("/models", "/telemetry/pump-7");
        // the watch restarts with the configuration (its service carries it): wait for it, and for it to answer
        waitForService(AnomalyWatch.class, "(&(forecaster=true)(warmupReadings=" + WARMUP + ")(retrainEvery=0))");
        String[] probe = {""};
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> (probe[0] = Http.postJson(
                    telemetry.replace("pump-7", "probe-" + System.nanoTime()), reading(0, 0)).body())
                    .contains("learning 1/" + FIRST_SCORE));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the watch did not answer as expected; last answer: " + probe[0]
                    + "; configuration: " + executeCommand("config:property-list -p io.edgeai.anomaly"), e);
        }

        int hour = 0;
        for (; hour < FIRST_SCORE - 1; hour++) {
            Http.Answer answer = Http.postJson(telemetry, reading(hour, 0));
            assertEquals(answer.body(), 200, answer.status());
            JsonNode result = JSON.readTree(answer.body());
            assertFalse(answer.body(), result.has("score"));
            assertEquals(answer.body(), "learning " + (hour + 1) + "/" + FIRST_SCORE,
                    result.path("watch").path("detail").asText());
        }
        // from the 27th reading on every answer is scored: by the statistical detectors, also while the forecaster's
        // warm-up fills and while it trains (the stream is paced as a slow device is: its next reading comes once the
        // training finished), then with the forecaster
        JsonNode last = null;
        boolean trainingSeen = false;
        for (; last == null || last.get("version").asInt() == 0; hour++) {
            assertTrue("the forecaster did not join after " + hour + " readings", hour < WARMUP + 50);
            Http.Answer answer = Http.postJson(telemetry, reading(hour, 0));
            last = JSON.readTree(answer.body());
            assertTrue("reading " + (hour + 1) + ": " + answer.body(), last.has("score"));
            assertEquals(answer.body(), 0.5, last.get("threshold").asDouble(), 0);
            assertFalse(answer.body(), last.get("alert").asBoolean());
            if (last.path("watch").path("state").asText().equals("training")) {
                trainingSeen = true;
                await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> registry.active("anomaly-pump-7")
                        .isPresent());
            }
        }
        assertTrue("answers said the forecaster was training", trainingSeen);
        ModelVersion active = registry.active("anomaly-pump-7").orElseThrow();
        assertEquals(1, active.version());
        assertEquals("anomaly-pump-7", last.get("model").asText());
        assertEquals(1, last.get("version").asInt());
        assertTrue(executeCommand("edgeai:job-list").contains("anomaly-pump-7"));

        // normal readings open no episode; the answer says what the model expected
        for (int i = 0; i < 48; i++, hour++) {
            JsonNode result = JSON.readTree(Http.postJson(telemetry, reading(hour, 0)).body());
            assertFalse(result.toString(), result.get("anomaly").asBoolean());
            assertTrue(result.toString(), result.get("score").asDouble() < 0.5);
            double expected = 20 + 5 * Math.sin(2 * Math.PI * hour / 24);
            assertEquals(result.toString(), expected, result.get("expected").get("temperature").asDouble(), 0.5);
        }
        // a route hears the alert (edgeai:results), with the value that drove it in a header
        org.apache.camel.CamelContext camel = waitForService(org.apache.camel.CamelContext.class,
                "(camel.context.name=edgeai)");
        java.util.concurrent.BlockingQueue<java.util.Map<String, Object>> heard =
                new java.util.concurrent.LinkedBlockingQueue<>();
        org.apache.camel.Consumer tap = camel.getEndpoint("edgeai:results/pump-7").createConsumer(e -> {
            if (Boolean.TRUE.equals(e.getMessage().getHeader(io.edgeai.api.routes.EdgeAiHeaders.ANOMALY_ALERT))) {
                heard.add(new java.util.HashMap<>(e.getMessage().getHeaders()));
            }
        });
        tap.start();
        // a spike of 4 degrees (a hundred times the noise, less than the daily swing) opens an episode: one alert
        JsonNode spike = JSON.readTree(Http.postJson(telemetry, reading(hour++, 4)).body());
        assertTrue(spike.toString(), spike.get("anomaly").asBoolean() && spike.get("alert").asBoolean());
        assertEquals("the value that drove it first: " + spike, "temperature",
                spike.get("contributions").fieldNames().next());
        java.util.Map<String, Object> alert = heard.poll(TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        tap.stop();
        assertTrue("no alert reached the route", alert != null);
        assertEquals(alert.toString(), "temperature", alert.get(io.edgeai.api.routes.EdgeAiHeaders.ANOMALY_CAUSE));
        assertEquals(alert.toString(), spike.get("contributions").get("temperature").asDouble(),
                ((java.util.Map<?, ?>) alert.get(io.edgeai.api.routes.EdgeAiHeaders.ANOMALY_CONTRIBUTIONS))
                .get("temperature") instanceof Double d ? d : Double.NaN, 1e-9);
        assertTrue(spike.toString(), spike.get("score").asDouble() >= spike.get("threshold").asDouble());
        assertEquals(spike.toString(), 1, spike.get("episode").asInt());
        JsonNode after = JSON.readTree(Http.postJson(telemetry, reading(hour++, 0)).body());
        assertFalse("one alert per episode: " + after, after.get("alert").asBoolean());

        // CoAP devices get the same answers (libcoap's coap-client)
        String coap = "coap://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=coap)").endpoint(),
                "coap") + "/telemetry/pump-7";
        String coapAnswer = CoapClient.postJson(coap, reading(hour++, -4));
        assertTrue(coapAnswer, coapAnswer.contains("\"model\":\"anomaly-pump-7\"")
                && coapAnswer.contains("\"anomaly\":true"));
        assertTrue(executeCommand("edgeai:watch-list"), executeCommand("edgeai:watch-list")
                .matches("(?s).*pump-7.*WATCHING.*anomaly-pump-7.*"));
        String alerts = ModelsApi.curl(ModelsApi.base(port(waitForService(Connector.class, "(connector.name=http)")
                .endpoint(), "http")).replace("/api/v1/models", "/metrics"))[1];
        assertTrue(alerts, alerts.contains("edgeai_anomaly_alerts_total{device=\"pump-7\"} 1.0"));

        // a restart (the training bundle, which the watch needs, stopped and started) takes the stream up where it
        // was: its first reading after is scored, by the same forecaster version, which is not trained again
        Bundle training = bundle("io.edgeai.training");
        training.stop();
        training.start();
        waitForService(AnomalyWatch.class, null);
        JsonNode resumed;
        int sent = 0;
        do {
            resumed = JSON.readTree(Http.postJson(telemetry, reading(hour++, 0)).body());
            sent++;
        } while (!resumed.has("score") && sent < 2 * FIRST_SCORE);
        assertEquals(resumed.toString(), 1, sent);
        assertEquals(1, resumed.get("version").asInt());
        assertEquals(1, registry.versions("anomaly-pump-7").size());
    }
}
