package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.edgeai.api.engine.EngineRuntime;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * While the gateway runs, bundle:update of our bundles other than the two runtimes (edgeai-camel, edgeai-djl-lib)
 * leaves the engine and the CamelContext working: same context, same routes, the engine still computes.
 */
public class HotUpdateIT extends EdgeAiTestSupport {

    @Test
    public void updatingOtherBundlesLeavesEngineAndCamelWorking() throws Exception {
        StartedEngine.of(this);
        CamelContext context = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        ServiceReference<CamelContext> contextRef = bundleContext.getServiceReference(CamelContext.class);
        long contextServiceId = (Long) contextRef.getProperty("service.id");
        Bundle lib = bundle("io.edgeai.djl.lib");
        long libModified = lib.getLastModified();

        File file = new File(deployFolder(), "it-hot.xml");
        Files.writeString(file.toPath(), "<routes xmlns=\"http://camel.apache.org/schema/xml-io\"><route id=\"itHot\">"
                + "<from uri=\"direct:itHot\"/><setBody><simple>hot ${body}</simple></setBody></route></routes>");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> context.getRoute("itHot") != null);

        for (String name : new String[] {"io.edgeai.djl", "io.edgeai.shell", "io.edgeai.api"}) {
            Bundle bundle = bundle(name);
            long before = bundle.getLastModified();
            executeCommand("bundle:update " + bundle.getBundleId());
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                    .until(() -> bundle.getLastModified() != before && bundle.getState() == Bundle.ACTIVE);
        }

        // the runtime component came back and found the engine already loaded
        EngineRuntime engine = StartedEngine.of(this);
        assertEquals("cpu", engine.info().device());
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
            assertArrayEquals(new float[] {2, 4, 6}, manager.create(new float[] {1, 2, 3}).mul(2).toFloatArray(), 0f);
        }
        // the library bundle that holds the JNI library was never touched
        assertEquals(Bundle.ACTIVE, lib.getState());
        assertEquals(libModified, lib.getLastModified());

        // the same CamelContext, with its routes, still serves
        CamelContext after = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        assertSame(context, after);
        assertEquals(contextServiceId, bundleContext.getServiceReference(CamelContext.class).getProperty("service.id"));
        try (ProducerTemplate template = after.createProducerTemplate()) {
            assertEquals("hot ping", template.requestBody("direct:itHot", "ping", String.class));
        }
        assertEquals(executeCommand("edgeai:engine").contains("READY"), true);
        Files.delete(file.toPath());
        assertAllBundlesActive();
    }
}
