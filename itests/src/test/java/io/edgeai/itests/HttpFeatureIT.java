package io.edgeai.itests;

import java.util.List;

public class HttpFeatureIT extends FeatureLifecycleSupport {

    @Override
    protected String feature() {
        return "edgeai-connector-http";
    }

    @Override
    protected List<String> expectedBundles() {
        return List.of("io.edgeai.api", "io.edgeai.camel", "io.edgeai.telemetry", "io.edgeai.connector.http");
    }

    @Override
    protected void assertWorks() {
        awaitConnectorUp("http");
    }
}
