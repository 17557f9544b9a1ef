package io.edgeai.itests;

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
        waitForService(EngineRuntime.class, "(engine.state=READY)");
        assertTrue(waitForService(CamelContext.class, null).isStarted());
        String status = executeCommand("edgeai:status");
        assertTrue(status, status.contains("engine") && status.contains("camel"));
    }
}
