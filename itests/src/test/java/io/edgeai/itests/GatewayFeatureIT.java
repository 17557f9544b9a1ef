package io.edgeai.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.engine.EngineRuntime;
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
        // an operator loads it ahead of the first model, and sees it work
        String loaded = executeCommand("edgeai:engine --load");
        assertTrue(loaded, loaded.contains("READY") && loaded.contains("2.7.1") && loaded.contains("cpu"));
        assertEquals(io.edgeai.api.engine.EngineState.READY, engine.info().state());
    }
}
