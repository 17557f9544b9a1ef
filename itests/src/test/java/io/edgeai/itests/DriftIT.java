package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.training.TrainingService;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.junit.Test;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Drift in the booted assembly: a model trained on the gateway carries what it learned from (reference.json); bound to
 * the telemetry route, readings like its training data raise nothing, and a shift of one input's mean raises a drift
 * event for that input (and the output) within a window of readings, shown in the metrics too.
 */
public class DriftIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void aShiftedInputIsAnnouncedAsDriftWithinAWindow() throws Exception {
        waitForService(TrainingService.class, null);
        String http = "http://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http");
        String firstJob = ModelsApi.trainLinear(http, "drifty");
        Random random = new Random(17);
        // the operator turns retraining on drift on; an integrator routes the model's drift events to an alert queue
        executeCommand("config:property-set -p io.edgeai.monitoring retrainOnDrift true");
        CamelContext camel = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        File alerts = new File(deployFolder(), "drift-alerts.xml");
        Files.writeString(alerts.toPath(), """
                <routes xmlns="http://camel.apache.org/schema/xml-io">
                  <route id="driftAlerts">
                    <from uri="edgeai:monitor/drifty?events=drift,retrain"/>
                    <setHeader name="alert"><simple>${header.EdgeAiTopic} ${header.EdgeAiFeature}</simple></setHeader>
                    <to uri="seda:drift-alerts"/>
                  </route>
                </routes>
                """);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> camel.getRoute("driftAlerts") != null);

        List<Event> drift = new CopyOnWriteArrayList<>();
        ServiceRegistration<EventHandler> listening = bundleContext.registerService(EventHandler.class, drift::add,
                new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, new String[] {"io/edgeai/monitoring/DRIFT",
                    "io/edgeai/monitoring/RETRAIN"})));
        executeCommand("config:property-set -p io.edgeai.telemetry model drifty");
        String telemetry = http + "/api/v1/telemetry/sensor-1";
        int served = 0;
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Http.postJson(telemetry,
                    reading(0, 0)).body().contains("\"model\":\"drifty\""));
            served = 1;
            // readings like the training data: no drift
            for (int i = 0; i < 300; i++, served++) {
                JsonNode answer = JSON.readTree(Http.postJson(telemetry, reading(random.nextGaussian(),
                        random.nextGaussian())).body());
                assertEquals(answer.toString(), "drifty", answer.get("model").asText());
            }
            // the detector works on its own thread: a scrape now shows every value watched and none drifting
            int stationary = served;
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> ModelsApi.curl(http + "/metrics")[1]
                    .contains("edgeai_drift_drifting{feature=\"input:b\",model=\"drifty\"} 0.0"));
            assertTrue("no drift announced on readings like the training data: " + drift,
                    drift.stream().noneMatch(e -> Boolean.TRUE.equals(e.getProperty("drifting"))));
            // input a's mean moves by two standard deviations
            for (int i = 0; i < 100; i++) {
                Http.postJson(telemetry, reading(2 + random.nextGaussian(), random.nextGaussian()));
            }
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> drift.stream().anyMatch(e ->
                    "input:a".equals(e.getProperty("feature")) && Boolean.TRUE.equals(e.getProperty("drifting"))));
            Event a = drift.stream().filter(e -> "io/edgeai/monitoring/DRIFT".equals(e.getTopic())
                    && "input:a".equals(e.getProperty("feature"))).findFirst().orElseThrow();
            long delay = (Long) a.getProperty("samples") - stationary;
            System.out.println("drift of input a announced " + delay + " readings after the shift: " + a);
            assertTrue("announced after " + delay + " shifted readings", delay > 0 && delay <= 100);
            assertEquals("drifty", a.getProperty("model"));
            assertEquals(1, a.getProperty("version"));
            assertTrue(drift.stream().noneMatch(e -> "input:b".equals(e.getProperty("feature"))));
            String metrics = ModelsApi.curl(http + "/metrics")[1];
            assertTrue(metrics, metrics.contains("edgeai_drift_drifting{feature=\"input:a\",model=\"drifty\"} 1.0"));
            assertTrue(metrics, metrics.contains("edgeai_drift_drifting{feature=\"input:b\",model=\"drifty\"} 0.0"));

            // the gateway retrained the model with the spec of the job that made version 1
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> drift.stream().anyMatch(e ->
                    "io/edgeai/monitoring/RETRAIN".equals(e.getTopic())));
            List<Event> retrains = drift.stream().filter(e -> "io/edgeai/monitoring/RETRAIN".equals(e.getTopic()))
                    .toList();
            assertEquals("one retraining however many values drift: " + retrains, 1, retrains.size());
            Event retrain = retrains.get(0);
            assertEquals(firstJob, retrain.getProperty("basedOn"));
            String job = (String) retrain.getProperty("job");
            JsonNode again = JSON.readTree(ModelsApi.curl(http + "/api/v1/training-jobs/" + job)[1]);
            JsonNode first = JSON.readTree(ModelsApi.curl(http + "/api/v1/training-jobs/" + firstJob)[1]);
            assertEquals(again.toString(), "drifty", again.get("model").asText());
            assertEquals(first.get("spec"), again.get("spec"));

            // the integrator's route got the drift event and the retraining (in either order), as JSON with headers
            ConsumerTemplate queue = camel.createConsumerTemplate();
            JsonNode drifted = null;
            Exchange retrained = null;
            while (drifted == null || retrained == null) {
                Exchange alert = queue.receive("seda:drift-alerts", TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                assertNotNull("the edgeai:monitor route delivered no " + (drifted == null ? "drift" : "retraining"),
                        alert);
                JsonNode body = JSON.readTree(alert.getMessage().getBody(String.class));
                System.out.println("edgeai:monitor/drifty delivered " + body + " with alert header "
                        + alert.getMessage().getHeader("alert"));
                assertEquals(body.toString(), "drifty", body.get("model").asText());
                assertEquals(body.get("topic").asText() + " " + body.get("feature").asText(),
                        alert.getMessage().getHeader("alert"));
                if ("io/edgeai/monitoring/DRIFT".equals(body.get("topic").asText())) {
                    assertTrue(body.toString(), body.get("drifting").asBoolean());
                    assertEquals(Boolean.TRUE, alert.getMessage().getHeader("EdgeAiDrifting"));
                    drifted = body;
                } else {
                    assertEquals(body.toString(), "io/edgeai/monitoring/RETRAIN", body.get("topic").asText());
                    retrained = alert;
                }
            }
            assertEquals(job, retrained.getMessage().getHeader("EdgeAiJob"));
            // the retraining runs to its end like any job (the test does not wait for it to be promoted)
            ModelsApi.curl(http + "/api/v1/training-jobs/" + job, "-X", "DELETE");
        } finally {
            listening.unregister();
            Files.deleteIfExists(alerts.toPath());
            executeCommand("config:property-set -p io.edgeai.monitoring retrainOnDrift false");
            executeCommand("config:property-set -p io.edgeai.telemetry model \"\"");
        }
    }

    private static String reading(double a, double b) {
        return String.format(Locale.ROOT, "{\"values\": {\"a\": %.6f, \"b\": %.6f}}", a, b);
    }
}
