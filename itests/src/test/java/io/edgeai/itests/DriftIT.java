package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.training.TrainingService;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
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
        ModelsApi.trainLinear(http, "drifty");
        Random random = new Random(17);

        List<Event> drift = new CopyOnWriteArrayList<>();
        ServiceRegistration<EventHandler> listening = bundleContext.registerService(EventHandler.class, drift::add,
                new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, "io/edgeai/monitoring/DRIFT")));
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
            Event a = drift.stream().filter(e -> "input:a".equals(e.getProperty("feature"))).findFirst().orElseThrow();
            long delay = (Long) a.getProperty("samples") - stationary;
            System.out.println("drift of input a announced " + delay + " readings after the shift: " + a);
            assertTrue("announced after " + delay + " shifted readings", delay > 0 && delay <= 100);
            assertEquals("drifty", a.getProperty("model"));
            assertEquals(1, a.getProperty("version"));
            assertTrue(drift.stream().noneMatch(e -> "input:b".equals(e.getProperty("feature"))));
            String metrics = ModelsApi.curl(http + "/metrics")[1];
            assertTrue(metrics, metrics.contains("edgeai_drift_drifting{feature=\"input:a\",model=\"drifty\"} 1.0"));
            assertTrue(metrics, metrics.contains("edgeai_drift_drifting{feature=\"input:b\",model=\"drifty\"} 0.0"));
        } finally {
            listening.unregister();
            executeCommand("config:property-set -p io.edgeai.telemetry model \"\"");
        }
    }

    private static String reading(double a, double b) {
        return String.format(Locale.ROOT, "{\"values\": {\"a\": %.6f, \"b\": %.6f}}", a, b);
    }
}
