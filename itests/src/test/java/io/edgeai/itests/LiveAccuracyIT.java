package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.training.TrainingService;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.Test;

/**
 * Live accuracy in the booted assembly: a model bound to the telemetry route answers readings; their true values,
 * posted later as labels with the readings' times, are joined with those answers, and the mean absolute error the
 * gateway reports equals the one this test computes from the answers it got.
 */
public class LiveAccuracyIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_764_450_000_000L;

    @Test
    public void labelsJoinedWithTheAnswersGiveTheSameErrorAsComputedHere() throws Exception {
        waitForService(TrainingService.class, null);
        String http = "http://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http");
        ModelsApi.trainLinear(http, "acc");
        String telemetry = http + "/api/v1/telemetry/meter-9";
        executeCommand("config:property-set -p io.edgeai.telemetry model acc");
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Http.postJson(http
                    + "/api/v1/telemetry/probe", "{\"values\": {\"a\": 0, \"b\": 0}}").body()
                    .contains("\"model\":\"acc\""));
            Random random = new Random(4);
            double sum = 0;
            int n = 40;
            double[] truth = new double[n];
            for (int i = 0; i < n; i++) {
                double a = random.nextGaussian();
                double b = random.nextGaussian();
                JsonNode answer = JSON.readTree(Http.postJson(telemetry, String.format(Locale.ROOT, "{\"ts\": %d,"
                        + " \"values\": {\"a\": %.6f, \"b\": %.6f}}", T0 + i * 1000L, a, b)).body());
                assertEquals(answer.toString(), "acc", answer.get("model").asText());
                // the truth the field reports later: the process plus what the model cannot know
                truth[i] = 2 * a - b + 1 + 0.5 * random.nextGaussian();
                sum += Math.abs(answer.get("score").asDouble() - truth[i]);
            }
            double expected = sum / n;
            // the first 30 labels over HTTP, the last 10 over MQTT (a back office publishing with a device account)
            int overHttp = 30;
            for (int i = 0; i < overHttp; i++) {
                // labels name the reading's time; a label a few seconds later joins the same reading
                String[] joined = ModelsApi.curl(http + "/api/v1/labels/meter-9", "-X", "POST", "-H",
                        "Content-Type: application/json", "--data-binary", String.format(Locale.ROOT,
                        "{\"ts\": \"%s\", \"value\": %.9f}", java.time.Instant.ofEpochMilli(T0 + i * 1000L + 300),
                        truth[i]));
                assertEquals(joined[1], "200", joined[0]);
                assertEquals(joined[1], T0 + i * 1000L, JSON.readTree(joined[1]).get("predictionTs").asLong());
            }
            Connector mqtt = waitForService(Connector.class, "(connector.name=mqtt)");
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> mqtt.health().status()
                    == io.edgeai.api.monitoring.Status.UP);
            Mosquitto mosquitto = new Mosquitto(port(mqtt.endpoint(), "mqtt"), MQTT_USER, MQTT_PASSWORD);
            mosquitto.subscribe("it-label-errors", "edgeai/errors/meter-9", "edgeai/errors/nobody");
            for (int i = overHttp; i < n; i++) {
                assertEquals(0, mosquitto.pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/labels/meter-9", "-m",
                        String.format(Locale.ROOT, "{\"ts\": %d, \"value\": %.9f}", T0 + i * 1000L + 300, truth[i]))
                        .exit());
            }
            assertEquals(0, mosquitto.pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/labels/meter-9", "-m",
                    "{\"ts\": 1}").exit());
            assertEquals(0, mosquitto.pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/labels/nobody", "-m",
                    "{\"ts\": 1, \"value\": 2}").exit());
            // one message on each device's error topic (the two topics are not ordered with each other)
            List<String> errors = mosquitto.receive("it-label-errors", 2, "edgeai/errors/meter-9",
                    "edgeai/errors/nobody");
            assertTrue(errors.toString(), errors.stream().anyMatch(e -> e.startsWith("edgeai/errors/meter-9 ")
                    && e.contains("\"reason\":\"missing_field\"")));
            assertTrue(errors.toString(), errors.stream().anyMatch(e -> e.startsWith("edgeai/errors/nobody ")
                    && e.contains("\"reason\":\"unknown_resource\"")));

            String[] orphan = ModelsApi.curl(http + "/api/v1/labels/nobody", "-X", "POST", "-H",
                    "Content-Type: application/json", "--data-binary", "{\"ts\": 1, \"value\": 1}");
            assertEquals("404", orphan[0]);
            String[] malformed = ModelsApi.curl(http + "/api/v1/labels/meter-9", "-X", "POST", "-H",
                    "Content-Type: application/json", "--data-binary", "{\"ts\": 1}");
            assertEquals("400", malformed[0]);
            assertTrue(malformed[1], malformed[1].contains("missing_field"));

            String metrics = ModelsApi.curl(http + "/metrics")[1];
            double reported = Double.NaN;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("edgeai_accuracy_mae{model=\"acc\",version=\"1\"} ")) {
                    reported = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            System.out.printf(Locale.ROOT, "live MAE of acc v1 over %d labels: gateway %.6f, computed here %.6f%n", n,
                    reported, expected);
            assertEquals(expected, reported, 1e-4);
            assertTrue(metrics, metrics.contains("edgeai_labels_total{model=\"acc\",version=\"1\"} 40.0"));
            assertTrue(metrics, metrics.contains("edgeai_labels_unmatched_total 2.0"));
            assertTrue(metrics, metrics.contains("edgeai_labels_refused_total{reason=\"missing_field\"} 2.0"));
            // the HTTP door of labels counts like a connector: 30 joined, the orphan and the malformed refused
            assertTrue(metrics, metrics.contains("edgeai_connector_received_total{connector=\"http-labels\"} 32.0"));
            assertTrue(metrics, metrics.contains("edgeai_connector_accepted_total{connector=\"http-labels\"} 30.0"));
            assertTrue(metrics, metrics.contains(
                    "edgeai_connector_rejected_total{connector=\"http-labels\",reason=\"unknown_resource\"} 1.0"));
            assertTrue(metrics, metrics.contains(
                    "edgeai_connector_rejected_total{connector=\"http-labels\",reason=\"missing_field\"} 1.0"));
        } finally {
            executeCommand("config:property-set -p io.edgeai.telemetry model \"\"");
        }
    }
}
