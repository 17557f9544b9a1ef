package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.monitoring.Metrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * Metrics and health of the booted assembly, read the way an operator's tools read them: a known number of readings
 * (good and bad, over HTTP and CoAP with curl-equivalent and libcoap clients) and then {@code GET /metrics} with curl
 * shows exactly those counts, refusals by reason; {@code GET /api/v1/health} lists every component, and names a
 * gateway piece that is not running.
 */
public class MonitoringIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})?) (\\S+)$");

    /** Every sample of a scrape by its name and labels, e.g. {@code edgeai_connector_received_total{connector="http"}}. */
    private static Map<String, Double> samples(String scrape) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    @Test
    public void theScrapeCountsExactlyWhatWasSentAndRefusalsByReason() throws Exception {
        waitForService(Metrics.class, null);
        StartedEngine.of(this);
        String http = "http://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http");
        String coap = "coap://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=coap)").endpoint(),
                "coap");
        // the servlets are registered a moment after the services: wait with a GET, which counts nothing
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> "200".equals(ModelsApi.curl(http
                + "/metrics")[0]));

        for (int i = 0; i < 7; i++) {
            assertEquals(200, Http.postJson(http + "/api/v1/telemetry/m1", "{\"values\": {\"t\": " + i + "}}")
                    .status());
        }
        assertEquals(400, Http.postJson(http + "/api/v1/telemetry/m1", "{\"values\": ").status());
        assertEquals(400, Http.postJson(http + "/api/v1/telemetry/m1", "not json").status());
        assertEquals(400, Http.postJson(http + "/api/v1/telemetry/m1", "{\"values\": {\"t\": NaN}}").status());
        for (int i = 0; i < 5; i++) {
            String answer = CoapClient.postJson(coap + "/telemetry/c1", "{\"values\": {\"t\": " + i + "}}");
            assertTrue(answer, answer.contains("\"deviceId\":\"c1\""));
        }
        String bad = CoapClient.postJson(coap + "/telemetry/c1", "{\"values\": [", "-v", "6");
        assertTrue(bad, bad.contains("4.00"));

        String[] scraped = ModelsApi.curl(http + "/metrics", "-i");
        assertEquals("200", scraped[0]);
        assertTrue(scraped[1], scraped[1].contains("text/plain; version=0.0.4"));
        Map<String, Double> metrics = samples(scraped[1]);
        System.out.println("scraped " + metrics.size() + " samples");
        assertEquals(10.0, metrics.get("edgeai_connector_received_total{connector=\"http\"}"), 0);
        assertEquals(7.0, metrics.get("edgeai_connector_accepted_total{connector=\"http\"}"), 0);
        assertEquals(2.0, metrics.get("edgeai_connector_rejected_total{connector=\"http\",reason=\"malformed\"}"), 0);
        assertEquals(1.0, metrics.get("edgeai_connector_rejected_total{connector=\"http\",reason=\"non_finite\"}"), 0);
        assertEquals(6.0, metrics.get("edgeai_connector_received_total{connector=\"coap\"}"), 0);
        assertEquals(5.0, metrics.get("edgeai_connector_accepted_total{connector=\"coap\"}"), 0);
        assertEquals(1.0, metrics.get("edgeai_connector_rejected_total{connector=\"coap\",reason=\"malformed\"}"), 0);
        assertEquals(1.0, metrics.get("edgeai_connector_up{connector=\"coap\"}"), 0);
        // the 12 accepted readings went through the default pipeline and the anomaly watch
        assertEquals(12.0, metrics.get("edgeai_pipeline_readings_total{pipeline=\"default\"}"), 0);
        assertEquals(7.0, metrics.get("edgeai_anomaly_readings_total{device=\"m1\"}"), 0);
        // latency histograms: one observation per accepted reading, per connector and for the route they went through
        assertEquals(7.0, metrics.get("edgeai_connector_latency_seconds_count{connector=\"http\"}"), 0);
        assertEquals(5.0, metrics.get("edgeai_connector_latency_seconds_count{connector=\"coap\"}"), 0);
        assertEquals(12.0, metrics.get("edgeai_route_latency_seconds_count{outcome=\"ok\",route=\"edgeai-telemetry\"}"),
                0);
        assertEquals(7.0, metrics.get("edgeai_connector_latency_seconds_bucket{connector=\"http\",le=\"+Inf\"}"), 0);
        assertTrue(metrics.get("edgeai_connector_latency_seconds_sum{connector=\"http\"}") > 0);
        // the engine, as edgeai:engine shows it
        assertTrue(metrics.keySet().toString(), metrics.keySet().stream().anyMatch(k -> k.startsWith(
                "edgeai_engine_ready{") && k.contains("device=\"cpu\"") && k.contains("engine=\"PyTorch\"")
                && metrics.get(k) == 1.0));
        assertEquals(5.0, metrics.get("edgeai_anomaly_readings_total{device=\"c1\"}"), 0);
        // the JVM and the process
        assertTrue(metrics.toString(), metrics.get("process_resident_memory_bytes") > 50e6);
        assertTrue(metrics.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")));
        assertTrue(metrics.keySet().stream().anyMatch(k -> k.startsWith("jvm_gc_")));

        // the console shows the same counts
        String console = executeCommand("edgeai:metrics edgeai_connector_rejected");
        assertTrue(console, console.contains("edgeai_connector_rejected_total{connector=\"http\",reason=\"malformed\"}"
                + " 2.0"));

        String[] health = ModelsApi.curl(http + "/api/v1/health");
        assertEquals(health[1], "200", health[0]);
        JsonNode body = JSON.readTree(health[1]);
        assertEquals(health[1], "UP", body.get("status").asText());
        String components = body.get("components").toString();
        for (String component : new String[] {"engine", "connector-coap", "connector-http", "connector-mqtt"}) {
            assertTrue(components, components.contains("\"component\":\"" + component + "\""));
        }

        // a component's counters come and go with it: the CoAP connector uninstalled, then installed again (its
        // latency histogram is the monitoring's: it stays, and goes on when the connector is back)
        executeCommand("feature:uninstall edgeai-connector-coap");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> !ModelsApi.curl(http + "/metrics")[1]
                .matches("(?s).*edgeai_connector_(up|received_total|accepted_total|rejected_total)\\{connector=\"coap\".*"));
        assertTrue(ModelsApi.curl(http + "/metrics")[1].contains("edgeai_connector_received_total{connector=\"http\"}"));
        executeCommand("feature:install edgeai-connector-coap");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> ModelsApi.curl(http + "/metrics")[1]
                .contains("edgeai_connector_received_total{connector=\"coap\"} 0.0"));
    }

    @Test
    public void aGatewayPieceThatDoesNotRunTakesHealthDownAndIsNamed() throws Exception {
        String http = "http://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> "200".equals(ModelsApi.curl(http
                + "/api/v1/health")[0]));
        assertTrue(components(http).get("reason").asText(), components(http).get("reason").asText().matches(
                "\\d+ bundles started, \\d+ components running, \\d+ servlets served"));

        // an operator stops the model registry's bundle: what needs it waits, and health says so, by name
        org.osgi.framework.Bundle registry = bundle("io.edgeai.models");
        registry.stop();
        try {
            String[] health = ModelsApi.curl(http + "/api/v1/health");
            assertEquals(health[1], "503", health[0]);
            assertEquals(health[1], "DOWN", JSON.readTree(health[1]).get("status").asText());
            JsonNode components = components(http);
            String reason = components.get("reason").asText();
            assertEquals(reason, "DOWN", components.get("status").asText());
            assertTrue(reason, reason.startsWith("not running: ") && reason.contains(
                    "bundle io.edgeai.models resolved, not started") && reason.contains(
                    "TrainingComponent waits for ModelRegistry") && reason.matches(
                    ".*AnomalyWatchComponent waits for [^;]*ModelRegistry.*"));
            String status = executeCommand("edgeai:status");
            assertTrue(status, status.lines().anyMatch(line -> line.startsWith("gateway") && line.contains("DOWN")
                    && line.contains("components down (see below)")));
        } finally {
            registry.start();
        }
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> "200".equals(ModelsApi.curl(http
                + "/api/v1/health")[0]));
        assertEquals("UP", components(http).get("status").asText());
    }

    @Test
    public void whileTheFrameworkStartsBundlesTheGatewayIsStarting() throws Exception {
        org.osgi.framework.startlevel.FrameworkStartLevel framework = bundleContext.getBundle(0).adapt(
                org.osgi.framework.startlevel.FrameworkStartLevel.class);
        int beginning = Integer.parseInt(System.getProperty("org.osgi.framework.startlevel.beginning").trim());
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> framework.getStartLevel() == beginning);
        // as in a later boot, where the features are installed already and the framework still starts their bundles
        framework.setStartLevel(beginning - 1);
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> framework.getStartLevel() == beginning - 1);
            String status = executeCommand("edgeai:status");
            assertTrue(status, status.lines().anyMatch(line -> line.startsWith("gateway") && line.contains("STARTING")
                    && line.contains("start level " + (beginning - 1) + " of " + beginning)));
        } finally {
            framework.setStartLevel(beginning);
        }
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> framework.getStartLevel() == beginning);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> executeCommand("edgeai:status").lines()
                .anyMatch(line -> line.startsWith("gateway") && line.contains("UP")));
    }

    /** The health of the gateway's own pieces (bundles, components, servlets), as GET /api/v1/health lists it. */
    private static JsonNode components(String http) throws java.io.IOException {
        for (JsonNode component : JSON.readTree(ModelsApi.curl(http + "/api/v1/health")[1]).get("components")) {
            if ("components".equals(component.get("component").asText())) {
                return component;
            }
        }
        throw new AssertionError("no components row in " + ModelsApi.curl(http + "/api/v1/health")[1]);
    }
}
