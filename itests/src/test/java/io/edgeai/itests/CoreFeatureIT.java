package io.edgeai.itests;

import static org.junit.Assert.assertTrue;

import io.edgeai.api.routes.RouteFiles;
import java.util.List;
import org.apache.camel.CamelContext;

public class CoreFeatureIT extends FeatureLifecycleSupport {

    @Override
    protected String feature() {
        return "edgeai-core";
    }

    @Override
    protected List<String> expectedBundles() {
        return List.of("io.edgeai.api", "io.edgeai.camel", "io.edgeai.telemetry", "io.edgeai.shell");
    }

    @Override
    protected void assertWorks() {
        assertTrue(waitForService(CamelContext.class, "(camel.context.name=edgeai)").isStarted());
        waitForService(RouteFiles.class, null);
        String status = executeCommand("edgeai:status");
        assertTrue(status, status.contains("camel") && status.contains("UP"));
    }
}
