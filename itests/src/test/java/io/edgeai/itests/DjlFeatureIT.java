package io.edgeai.itests;

import static org.junit.Assert.assertEquals;

import java.util.List;

public class DjlFeatureIT extends FeatureLifecycleSupport {

    @Override
    protected String feature() {
        return "edgeai-djl";
    }

    @Override
    protected List<String> expectedBundles() {
        return List.of("io.edgeai.api", "io.edgeai.camel", "io.edgeai.djl.lib", "io.edgeai.djl");
    }

    @Override
    protected void assertWorks() {
        assertEquals("2.7.1", StartedEngine.of(this).info().version());
    }
}
