package io.edgeai.itests;

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
        awaitConnectorUp("coap");
    }
}
