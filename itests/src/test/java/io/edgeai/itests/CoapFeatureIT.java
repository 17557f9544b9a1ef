package io.edgeai.itests;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

public class CoapFeatureIT extends FeatureLifecycleSupport {

    @Override
    protected String feature() {
        return "edgeai-connector-coap";
    }

    @Override
    protected List<String> expectedBundles() {
        return List.of("io.edgeai.api", "io.edgeai.camel", "io.edgeai.telemetry", "io.edgeai.connector.coap");
    }

    @Override
    protected void assertWorks() {
        // by the console only: this class loads before the feature, so it may not name the connector API's types
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
            String listing = executeCommand("edgeai:connector-list");
            return listing.contains("coap") && listing.contains("UP");
        });
    }
}
