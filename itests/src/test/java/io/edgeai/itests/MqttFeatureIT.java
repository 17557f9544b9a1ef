package io.edgeai.itests;

import java.util.List;

public class MqttFeatureIT extends FeatureLifecycleSupport {

    @Override
    protected String feature() {
        return "edgeai-connector-mqtt";
    }

    @Override
    protected List<String> expectedBundles() {
        return List.of("io.edgeai.api", "io.edgeai.camel", "io.edgeai.telemetry", "io.edgeai.connector.mqtt");
    }

    @Override
    protected void assertWorks() {
        awaitConnectorUp("mqtt");
    }
}
