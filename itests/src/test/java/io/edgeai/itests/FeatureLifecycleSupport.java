package io.edgeai.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;

/**
 * Boots the assembly without the edgeai features, then installs one feature, checks that it works, uninstalls it and
 * checks that nothing of it is left. One feature per container: the PyTorch JNI library can be loaded once per JVM,
 * so a second install of the DJL runtime belongs to a restart, not to this test.
 */
public abstract class FeatureLifecycleSupport extends EdgeAiTestSupport {

    private static final String BOOT_WITHOUT_EDGEAI = "package,scr,log,ssh,framework,system,feature,shell,"
            + "management,service,jaas,deployer,diagnostic,bundle,config,eventadmin";

    /** The feature under test. */
    protected abstract String feature();

    /** The bundles it must bring, all ACTIVE. */
    protected abstract List<String> expectedBundles();

    /** Checks that the installed feature works. */
    protected abstract void assertWorks();

    @Override
    protected Option[] additionalOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBoot", BOOT_WITHOUT_EDGEAI)
        };
    }

    @Test
    public void installsWorksAndUninstallsCleanly() throws Exception {
        FeaturesService features = waitForService(FeaturesService.class, null);
        assertTrue("no edgeai bundle before install: " + edgeaiBundles(), edgeaiBundles().isEmpty());

        // no auto-refresh: it would restart this test's own probe bundle (its dynamic imports could now wire)
        EnumSet<FeaturesService.Option> options = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
        features.installFeature(feature(), options);
        assertTrue(features.isInstalled(features.getFeature(feature())));
        for (String name : expectedBundles()) {
            assertEquals(name + " is not active", Bundle.ACTIVE, bundle(name).getState());
        }
        assertWorks();
        assertAllBundlesActive();

        features.uninstallFeature(feature(), options);
        assertTrue("left behind: " + edgeaiBundles(), edgeaiBundles().isEmpty());
        assertNull("edgeai services left behind",
                bundleContext.getServiceReferences((String) null, "(objectClass=io.edgeai.*)"));
        assertAllBundlesActive();
    }

    /**
     * Waits until edgeai:connector-list shows the connector UP. By the console only: a test class loads before its
     * feature is installed, so it may not name the connector API's types.
     */
    protected void awaitConnectorUp(String name) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
            String listing = executeCommand("edgeai:connector-list");
            return listing.lines().anyMatch(line -> line.startsWith(name + " ") && line.contains(" UP "));
        });
    }

    private List<String> edgeaiBundles() {
        return Arrays.stream(bundleContext.getBundles()).map(Bundle::getSymbolicName)
                .filter(n -> n.startsWith("io.edgeai.")).collect(Collectors.toList());
    }
}
