package io.edgeai.itests;

import java.util.List;

public class MonitoringFeatureIT extends FeatureLifecycleSupport {

    @Override
    protected String feature() {
        return "edgeai-monitoring";
    }

    @Override
    protected List<String> expectedBundles() {
        return List.of("io.edgeai.api", "io.edgeai.camel", "io.edgeai.telemetry", "io.edgeai.monitoring");
    }

    /** Installed alone (no engine, no connectors), it serves the JVM's metrics (by the console: no API types here). */
    @Override
    protected void assertWorks() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                executeCommand("edgeai:metrics jvm_memory_used_bytes").contains("jvm_memory_used_bytes{"));
    }
}
