package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.monitoring.Status;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * An operator swaps pieces one by one: on the booted gateway every edgeai feature (each booted on its own) can be
 * uninstalled while the others keep serving, and installed again, after which it serves again. A feature another one
 * needs stays while that one is installed (edgeai-inference for edgeai-training: they go out together, training
 * first); not edgeai-core (what all others are built on) and not edgeai-djl (PyTorch's native library binds to the
 * first class loader that loads it: once per JVM run, features/README.md).
 */
public class FeatureSwapIT extends EdgeAiTestSupport {

    /** The features taken out together (in that order; put back in the reverse) and a bundle only they bring. */
    private static final Map<List<String>, String> FEATURES = new LinkedHashMap<>();

    static {
        FEATURES.put(List.of("edgeai-connector-coap"), "io.edgeai.connector.coap");
        FEATURES.put(List.of("edgeai-connector-http"), "io.edgeai.connector.http");
        FEATURES.put(List.of("edgeai-rest"), "io.edgeai.rest");
        FEATURES.put(List.of("edgeai-connector-mqtt"), "io.edgeai.connector.mqtt");
        FEATURES.put(List.of("edgeai-monitoring"), "io.edgeai.monitoring");
        FEATURES.put(List.of("edgeai-anomaly"), "io.edgeai.anomaly");
        FEATURES.put(List.of("edgeai-anomaly", "edgeai-training"), "io.edgeai.training");
        FEATURES.put(List.of("edgeai-anomaly", "edgeai-training", "edgeai-inference"), "io.edgeai.inference");
        FEATURES.put(List.of("edgeai-preprocess"), "io.edgeai.preprocess");
    }

    private static final List<String> CONNECTORS = List.of("coap", "http", "mqtt");

    @Test
    public void eachFeatureCanBeUninstalledAndReinstalledWhileTheRestServes() throws Exception {
        FeaturesService features = waitForService(FeaturesService.class, null);
        // no auto-refresh: it would restart this test's own probe bundle; the edgeai bundles import the API only
        EnumSet<FeaturesService.Option> options = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
        for (String connector : CONNECTORS) {
            awaitConnector(connector, true);
        }
        for (Map.Entry<List<String>, String> entry : FEATURES.entrySet()) {
            List<String> swapped = entry.getKey();
            String feature = String.join(" and ", swapped);
            for (String name : swapped) {
                assertTrue(name + " is installed as a feature of its own",
                        features.isInstalled(features.getFeature(name)));
                features.uninstallFeature(name, options);
            }
            assertFalse(feature + ": its bundle is gone", present(entry.getValue()));
            for (String connector : CONNECTORS) {
                if (!feature.equals("edgeai-connector-" + connector)) {
                    awaitConnector(connector, true);
                } else {
                    awaitConnector(connector, false);
                }
            }
            if (!feature.equals("edgeai-connector-http") && !feature.equals("edgeai-preprocess")) {
                assertEquals(feature + " out: the HTTP connector still takes readings", 200,
                        Http.postJson(telemetry(), "{\"values\": {\"t\": 1}}").status());
            }

            for (int i = swapped.size() - 1; i >= 0; i--) {
                features.installFeature(swapped.get(i), options);
            }
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> present(entry.getValue())
                    && bundle(entry.getValue()).getState() == Bundle.ACTIVE);
            for (String connector : CONNECTORS) {
                awaitConnector(connector, true);
            }
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Http.postJson(telemetry(),
                    "{\"values\": {\"t\": 2}}").status() == 200);
            String status = executeCommand("edgeai:status");
            assertFalse(feature + " back:\n" + status, status.contains(" DOWN "));
        }
        assertAllBundlesActive();
    }

    private String telemetry() {
        Connector http = waitForService(Connector.class, "(connector.name=http)");
        return "http://127.0.0.1:" + port(http.endpoint(), "http") + "/api/v1/telemetry/swap";
    }

    private boolean present(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles()).anyMatch(b -> b.getSymbolicName().equals(symbolicName));
    }

    /** Waits until the connector is registered and UP, or (up = false) no longer registered. */
    private void awaitConnector(String name, boolean up) {
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
            ServiceReference<?>[] refs;
            try {
                refs = bundleContext.getServiceReferences(Connector.class.getName(), "(connector.name=" + name + ")");
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            if (refs == null) {
                return !up;
            }
            Connector connector = (Connector) bundleContext.getService(refs[0]);
            try {
                return up && connector != null && connector.health().status() == Status.UP;
            } finally {
                bundleContext.ungetService(refs[0]);
            }
        });
    }
}
