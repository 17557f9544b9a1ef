package io.edgeai.itests;

import java.util.List;

/** The HTTP admin API on its own: its servlets come up without any connector (and go without a trace). */
public class RestFeatureIT extends FeatureLifecycleSupport {

    @Override
    protected String feature() {
        return "edgeai-rest";
    }

    @Override
    protected List<String> expectedBundles() {
        return List.of("io.edgeai.api", "io.edgeai.camel", "io.edgeai.telemetry", "io.edgeai.http", "io.edgeai.rest");
    }

    @Override
    protected void assertWorks() {
        awaitConnectorUp("http-labels");
        String listing = executeCommand("edgeai:connector-list");
        org.junit.Assert.assertTrue(listing, listing.contains("http-models") && listing.contains("http-training")
                && listing.contains("http-anomaly")
                && !listing.lines().anyMatch(line -> line.startsWith("http ")));
    }
}
