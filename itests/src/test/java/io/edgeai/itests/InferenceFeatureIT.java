package io.edgeai.itests;

import static org.junit.Assert.assertTrue;

import java.util.List;

public class InferenceFeatureIT extends FeatureLifecycleSupport {

    @Override
    protected String feature() {
        return "edgeai-inference";
    }

    @Override
    protected List<String> expectedBundles() {
        return List.of("io.edgeai.api", "io.edgeai.camel", "io.edgeai.djl.lib", "io.edgeai.djl", "io.edgeai.models",
                "io.edgeai.inference");
    }

    /** The registry and the inference service (once the engine is ready), by the console as an operator sees them. */
    @Override
    protected void assertWorks() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
            String status = executeCommand("edgeai:status");
            return status.contains("inference") && status.contains("batches of up to")
                    && status.contains("models") && status.contains("0 models");
        });
        assertTrue(executeCommand("edgeai:model-list").contains("Model"));
    }
}
