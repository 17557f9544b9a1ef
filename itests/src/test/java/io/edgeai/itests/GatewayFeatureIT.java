package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.engine.EngineRuntime;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;

public class GatewayFeatureIT extends FeatureLifecycleSupport {

    @Override
    protected String feature() {
        return "edgeai-gateway";
    }

    @Override
    protected List<String> expectedBundles() {
        return List.of("io.edgeai.api", "io.edgeai.camel", "io.edgeai.telemetry", "io.edgeai.shell",
                "io.edgeai.djl.lib", "io.edgeai.djl", "io.edgeai.connector.coap", "io.edgeai.connector.http",
                "io.edgeai.connector.mqtt", "io.edgeai.preprocess");
    }

    @Override
    protected void assertWorks() {
        // no model yet: libtorch is not loaded, and that is healthy
        EngineRuntime engine = waitForService(EngineRuntime.class, "(engine.state=STANDBY)");
        io.edgeai.api.monitoring.Health health = ((io.edgeai.api.monitoring.HealthIndicator) engine).health();
        assertEquals(io.edgeai.api.monitoring.Status.UP, health.status());
        assertTrue(health.reason(), health.reason().startsWith("standby, not loaded"));
        assertTrue(waitForService(CamelContext.class, null).isStarted());
        String status = executeCommand("edgeai:status");
        assertTrue(status, status.contains("engine") && status.contains("camel") && status.contains("standby"));
        assertTrue(executeCommand("edgeai:engine"), executeCommand("edgeai:engine").contains("STANDBY"));
        // a setting changed in standby is taken without loading libtorch
        executeCommand("config:property-set -p io.edgeai.djl intraOpThreads 2");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> intraOpThreads(executeCommand("edgeai:engine")).equals("2"));
        assertTrue(executeCommand("edgeai:engine"), executeCommand("edgeai:engine").contains("STANDBY"));
        // an operator loads it ahead of the first model, and sees it work with that setting
        String loaded = executeCommand("edgeai:engine --load");
        assertTrue(loaded, loaded.contains("READY") && loaded.contains("2.7.1") && loaded.contains("cpu"));
        assertEquals(io.edgeai.api.engine.EngineState.READY, engine.info().state());
        assertEquals(2, engine.info().intraOpThreads());
    }

    /** The intra-op threads edgeai:engine shows (its table row's last cell). */
    private static String intraOpThreads(String engineTable) {
        return engineTable.lines().filter(l -> l.contains("Intra-op threads"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("");
    }
}
