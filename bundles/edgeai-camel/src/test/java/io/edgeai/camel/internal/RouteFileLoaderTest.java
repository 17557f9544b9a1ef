package io.edgeai.camel.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.routes.RouteFile;
import io.edgeai.api.routes.RouteFileState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RouteFileLoaderTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private DefaultCamelContext context;
    private RouteFileLoader loader;
    private ProducerTemplate template;

    @Before
    public void start() {
        context = new DefaultCamelContext();
        context.start();
        loader = new RouteFileLoader(context);
        template = context.createProducerTemplate();
    }

    @After
    public void stop() {
        context.stop();
    }

    static String xmlRoute(String id, String body) {
        return "<routes xmlns=\"http://camel.apache.org/schema/xml-io\">"
                + "<route id=\"" + id + "\"><from uri=\"direct:" + id + "\"/>"
                + "<setBody><constant>" + body + "</constant></setBody></route></routes>";
    }

    private Path write(String name, String text) throws Exception {
        Path file = tmp.getRoot().toPath().resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    public void loadsReplacesAndRemovesAnXmlFile() throws Exception {
        Path file = write("a.xml", xmlRoute("a", "one"));
        RouteFile loaded = loader.apply(file);
        assertEquals(RouteFileState.LOADED, loaded.state());
        assertEquals(List.of("a"), loaded.routeIds());
        assertEquals("one", template.requestBody("direct:a", "", String.class));

        write("a.xml", xmlRoute("a", "two"));
        loader.apply(file);
        assertEquals("two", template.requestBody("direct:a", "", String.class));

        loader.remove(file);
        assertNull(context.getRoute("a"));
        assertTrue(loader.files().isEmpty());
    }

    @Test
    public void sweepRemovesDeletedFilesAndAppliesChangesOnceTheyHoldStill() throws Exception {
        Path kept = write("kept.xml", xmlRoute("kept", "one"));
        Path gone = write("gone.xml", xmlRoute("gone", "one"));
        loader.apply(kept);
        loader.apply(gone);

        Files.delete(gone);
        write("kept.xml", xmlRoute("kept", "two, a longer text"));
        loader.sweep();
        assertNull("the deleted file's route is removed", context.getRoute("gone"));
        assertEquals(List.of(kept), loader.files().stream().map(RouteFile::file).toList());
        assertEquals("a change seen once may be half written", "one",
                template.requestBody("direct:kept", "", String.class));

        loader.sweep();
        assertEquals("two, a longer text", template.requestBody("direct:kept", "", String.class));
        org.apache.camel.Route running = context.getRoute("kept");
        loader.sweep();
        assertTrue("an applied change is not applied again", running == context.getRoute("kept"));
    }

    @Test
    public void unchangedTextKeepsTheRunningRoutes() throws Exception {
        Path file = write("same.xml", xmlRoute("same", "one"));
        loader.apply(file);
        org.apache.camel.Route running = context.getRoute("same");
        loader.apply(file);
        assertTrue("the route was not replaced", running == context.getRoute("same"));
    }

    @Test
    public void loadsYaml() throws Exception {
        Path file = write("b.yaml", """
                - route:
                    id: b
                    from:
                      uri: direct:b
                      steps:
                        - setBody:
                            constant: yaml
                """);
        assertEquals(RouteFileState.LOADED, loader.apply(file).state());
        assertEquals("yaml", template.requestBody("direct:b", "", String.class));
    }

    @Test
    public void brokenEditKeepsThePreviousRoutesRunning() throws Exception {
        Path file = write("c.xml", xmlRoute("c", "good"));
        loader.apply(file);
        write("c.xml", "<routes xmlns=\"http://camel.apache.org/schema/xml-io\"><route id=\"c\"><from uri=");
        RouteFile refused = loader.apply(file);
        assertEquals(RouteFileState.FAILED, refused.state());
        assertFalse(refused.error().isEmpty());
        assertEquals(List.of("c"), refused.routeIds());
        assertEquals("good", template.requestBody("direct:c", "", String.class));
    }

    @Test
    public void truncatedXmlWithoutNamespaceIsRefused() throws Exception {
        RouteFile refused = loader.apply(write("t.xml", "<routes><route id="));
        assertEquals(RouteFileState.FAILED, refused.state());
        assertFalse(refused.error().isEmpty());
    }

    @Test
    public void unknownComponentIsRefusedAndLeavesNothingBehind() throws Exception {
        Path file = write("d.xml", "<routes xmlns=\"http://camel.apache.org/schema/xml-io\">"
                + "<route id=\"d\"><from uri=\"nosuchcomponent:x\"/><to uri=\"log:x\"/></route></routes>");
        RouteFile refused = loader.apply(file);
        assertEquals(RouteFileState.FAILED, refused.state());
        assertTrue(refused.error(), refused.error().contains("nosuchcomponent"));
        assertNull(context.getRoute("d"));
    }

    @Test
    public void duplicateRouteIdFailsTheSecondFileOnly() throws Exception {
        Path first = write("e1.xml", xmlRoute("e", "first"));
        Path second = write("e2.xml", xmlRoute("e", "second"));
        loader.apply(first);
        RouteFile refused = loader.apply(second);
        assertEquals(RouteFileState.FAILED, refused.state());
        assertTrue(refused.routeIds().isEmpty());
        assertEquals("first", template.requestBody("direct:e", "", String.class));
        loader.remove(second);
        assertNotNull(context.getRoute("e"));
    }

    @Test
    public void recognisesCamelXmlAndYamlButNotBlueprint() throws Exception {
        assertTrue(RouteFileTypes.isRouteFile(write("r.xml", xmlRoute("r", "x"))));
        assertTrue(RouteFileTypes.isRouteFile(write("r.yaml", "- route: {}")));
        assertFalse(RouteFileTypes.isRouteFile(write("default.pipeline.yaml", "name: default\nsteps: []")));
        assertTrue(RouteFileTypes.isRouteFile(write("broken.xml", "<routes><route")));
        assertFalse(RouteFileTypes.isRouteFile(write("bp.xml",
                "<blueprint xmlns=\"http://www.osgi.org/xmlns/blueprint/v1.0.0\"/>")));
        assertFalse(RouteFileTypes.isRouteFile(write("f.xml", "<features name=\"x\"/>")));
        assertFalse(RouteFileTypes.isRouteFile(write("n.cfg", "a=b")));
    }

    /**
     * A component's bundle stops: the files whose routes use it stop them all and say why, other files run on; when
     * components come, failed files load again.
     */
    @Test
    public void filesUsingAComponentThatGoesStopAndComeBack() throws Exception {
        Path uses = write("uses.xml", "<routes xmlns=\"http://camel.apache.org/schema/xml-io\">"
                + "<route id=\"sends\"><from uri=\"direct:sends\"/><choice><when><simple>${body} == 'x'</simple>"
                + "<to uri=\"mock:deep\"/></when></choice></route>"
                + "<route id=\"plain\"><from uri=\"direct:plain\"/><setBody><constant>p</constant></setBody></route>"
                + "</routes>");
        Path other = write("other.xml", xmlRoute("other", "o"));
        assertEquals(RouteFileState.LOADED, loader.apply(uses).state());
        assertEquals(RouteFileState.LOADED, loader.apply(other).state());
        assertTrue(ComponentBundles.uses(context.getRoute("sends"), java.util.Set.of("mock")));
        assertFalse(ComponentBundles.uses(context.getRoute("plain"), java.util.Set.of("mock")));

        loader.suspendUsing(java.util.Set.of("mock"), "component mock is gone");
        RouteFile stopped = loader.files().stream().filter(f -> f.file().equals(uses)).findFirst().orElseThrow();
        assertEquals(RouteFileState.FAILED, stopped.state());
        assertEquals("component mock is gone", stopped.error());
        assertNull(context.getRoute("sends"));
        assertNull(context.getRoute("plain"));
        assertEquals("o", template.requestBody("direct:other", "", String.class));

        loader.retryFailed();
        assertEquals(RouteFileState.LOADED, loader.files().stream().filter(f -> f.file().equals(uses)).findFirst()
                .orElseThrow().state());
        assertEquals("p", template.requestBody("direct:plain", "", String.class));
    }
}
