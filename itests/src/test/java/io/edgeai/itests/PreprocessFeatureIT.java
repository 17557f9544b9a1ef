package io.edgeai.itests;

import static org.junit.Assert.assertTrue;

import java.util.List;

public class PreprocessFeatureIT extends FeatureLifecycleSupport {

    @Override
    protected String feature() {
        return "edgeai-preprocess";
    }

    @Override
    protected List<String> expectedBundles() {
        return List.of("io.edgeai.api", "io.edgeai.camel", "io.edgeai.telemetry", "io.edgeai.preprocess");
    }

    /** Every built-in step type is a StepFactory service (by the console: this class loads before the feature). */
    @Override
    protected void assertWorks() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
            String services = executeCommand("service:list io.edgeai.api.preprocess.StepFactory");
            return List.of("reject-non-finite", "bounds", "zscore", "minmax", "robust", "window", "fill",
                    "timestamps", "hampel", "iqr-clip", "stuck", "convert", "resample", "jitter", "scaling",
                    "magnitude-warp", "time-warp", "window-slice").stream()
                    .allMatch(type -> services.contains("step.type = " + type));
        });
        assertTrue(executeCommand("bundle:list -s").contains("io.edgeai.preprocess"));
    }
}
