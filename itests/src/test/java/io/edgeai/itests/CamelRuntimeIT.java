package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.routes.RouteFile;
import io.edgeai.api.routes.RouteFileState;
import io.edgeai.api.routes.RouteFiles;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.Test;

/** The shared CamelContext and route files dropped into deploy/: loaded, replaced, refused, removed. */
public class CamelRuntimeIT extends EdgeAiTestSupport {

    private static String xmlRoute(String id, String answer) {
        return "<routes xmlns=\"http://camel.apache.org/schema/xml-io\">\n"
                + "  <route id=\"" + id + "\">\n"
                + "    <from uri=\"direct:" + id + "\"/>\n"
                + "    <setBody><simple>" + answer + " ${body}</simple></setBody>\n"
                + "  </route>\n"
                + "</routes>\n";
    }

    private Optional<RouteFile> status(RouteFiles files, File file) {
        return files.files().stream().filter(f -> f.file().getFileName().toString().equals(file.getName()))
                .findFirst();
    }

    @Test
    public void sharedContextIsPublishedAndStarted() {
        CamelContext context = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        assertTrue(context.isStarted());
        assertEquals("edgeai", context.getName());
        assertAllBundlesActive();
    }

    /**
     * The default route's answer is a typed Result, not JSON text; a route that wants text gets the JSON a device gets
     * (Camel's type converter: ${bodyAs(String)}, a log, a file).
     */
    @Test
    public void theDefaultRouteAnswersATypedResultThatReadsAsJson() throws Exception {
        CamelContext context = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> context.getRoute("edgeai-telemetry") != null);
        try (ProducerTemplate template = context.createProducerTemplate()) {
            org.apache.camel.Exchange answer = template.request(io.edgeai.api.reading.Telemetry.ENDPOINT, e -> {
                e.getMessage().setBody(new io.edgeai.api.reading.Reading("typed", java.time.Instant.ofEpochMilli(
                        1_764_450_000_000L), java.util.Map.of("t", 1.5)));
                e.getMessage().setHeader(io.edgeai.api.routes.EdgeAiHeaders.DEVICE_ID, "typed");
                e.getMessage().setHeader(io.edgeai.api.routes.EdgeAiHeaders.PROTOCOL, "camel");
            });
            Object body = answer.getMessage().getBody();
            assertTrue(String.valueOf(body), body instanceof io.edgeai.api.reading.Result);
            String json = answer.getMessage().getBody(String.class);
            assertTrue(json, json.startsWith("{\"deviceId\":\"typed\",\"ts\":1764450000000,\"values\":{\"t\":1.5}")
                    && json.contains("\"pipeline\":{\"name\":\"default\""));
            assertEquals(json, context.resolveLanguage("simple").createExpression("${bodyAs(String)}")
                    .evaluate(answer, String.class));
        }
    }

    @Test
    public void assemblyBootsEveryGatewayFeature() {
        String installed = executeCommand("feature:list -i");
        for (String feature : new String[] {"edgeai-core", "edgeai-djl", "edgeai-preprocess", "edgeai-inference",
            "edgeai-training", "edgeai-anomaly", "edgeai-monitoring", "edgeai-connector-coap", "edgeai-connector-http",
            "edgeai-connector-mqtt", "edgeai-rest"}) {
            assertTrue(feature + " not installed:\n" + installed, installed.contains(feature));
        }
        String status = executeCommand("edgeai:status");
        assertTrue(status, status.contains("camel") && status.contains("engine"));
    }

    @Test
    public void xmlRouteFileIsLoadedReplacedAndRemoved() throws Exception {
        CamelContext context = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        RouteFiles files = waitForService(RouteFiles.class, null);
        ProducerTemplate template = context.createProducerTemplate();
        File file = new File(deployFolder(), "it-xml.xml");

        Files.writeString(file.toPath(), xmlRoute("itXml", "first"));
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> context.getRoute("itXml") != null);
        assertEquals("first ping", template.requestBody("direct:itXml", "ping", String.class));

        Files.writeString(file.toPath(), xmlRoute("itXml", "second"));
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                .until(() -> "second ping".equals(template.requestBody("direct:itXml", "ping", String.class)));

        Files.delete(file.toPath());
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> context.getRoute("itXml") == null);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status(files, file).isEmpty());
        template.close();
    }

    @Test
    public void yamlRouteFileIsLoaded() throws Exception {
        CamelContext context = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        File file = new File(deployFolder(), "it-yaml.yaml");
        Files.writeString(file.toPath(), """
                - route:
                    id: itYaml
                    from:
                      uri: direct:itYaml
                      steps:
                        - setBody:
                            simple: "yaml ${body}"
                """);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> context.getRoute("itYaml") != null);
        try (ProducerTemplate template = context.createProducerTemplate()) {
            assertEquals("yaml ping", template.requestBody("direct:itYaml", "ping", String.class));
        }
        Files.delete(file.toPath());
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> context.getRoute("itYaml") == null);
    }

    @Test
    public void routeFilesComeBackWhenTheCamelRuntimeRestarts() throws Exception {
        CamelContext before = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        File file = new File(deployFolder(), "it-restart.xml");
        Files.writeString(file.toPath(), xmlRoute("itRestart", "again"));
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> before.getRoute("itRestart") != null);

        Object oldId = bundleContext.getServiceReference(CamelContext.class).getProperty("service.id");
        executeCommand("bundle:restart " + bundle("io.edgeai.camel").getBundleId());
        CamelContext after = waitForService(CamelContext.class, "(!(service.id=" + oldId + "))");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> after.getRoute("itRestart") != null);
        try (ProducerTemplate template = after.createProducerTemplate()) {
            assertEquals("again ping", template.requestBody("direct:itRestart", "ping", String.class));
            // File Install bound the file to the installer that is gone: a change and a deletion still arrive
            Files.writeString(file.toPath(), xmlRoute("itRestart", "changed"));
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                    "changed ping".equals(template.requestBody("direct:itRestart", "ping", String.class)));
        }
        Files.delete(file.toPath());
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> after.getRoute("itRestart") == null);
    }

    @Test
    public void brokenFileIsReportedAndChangesNothingElse() throws Exception {
        CamelContext context = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        RouteFiles files = waitForService(RouteFiles.class, null);
        File good = new File(deployFolder(), "it-good.xml");
        Files.writeString(good.toPath(), xmlRoute("itGood", "good"));
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> context.getRoute("itGood") != null);

        // a new broken file, and a broken edit of the good one
        File broken = new File(deployFolder(), "it-broken.xml");
        Files.writeString(broken.toPath(), "<routes xmlns=\"http://camel.apache.org/schema/xml-io\">\n<route id=\"x\">");
        Files.writeString(good.toPath(), xmlRoute("itGood", "good").replace("</routes>", ""));
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                status(files, broken).map(f -> f.state() == RouteFileState.FAILED).orElse(false)
                        && status(files, good).map(f -> f.state() == RouteFileState.FAILED).orElse(false));

        RouteFile refused = status(files, broken).orElseThrow();
        assertTrue(refused.error(), refused.error().contains("line 2"));
        String listing = executeCommand("edgeai:route-list");
        assertTrue(listing, listing.contains("it-broken.xml") && listing.contains("FAILED")
                && listing.contains("not well-formed"));

        // the good file's last good routes still answer
        try (ProducerTemplate template = context.createProducerTemplate()) {
            assertEquals("good ping", template.requestBody("direct:itGood", "ping", String.class));
        }
        Files.delete(broken.toPath());
        Files.delete(good.toPath());
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> context.getRoute("itGood") == null);
    }

    /**
     * The edgeai: endpoints used the wrong way round, or with an option they do not know, are refused with the reason,
     * as any broken file: edgeai:monitor only starts routes, the stages only process what a route sends them.
     */
    @Test
    public void edgeaiEndpointsUsedTheWrongWayRoundAreRefusedWithTheReason() throws Exception {
        RouteFiles files = waitForService(RouteFiles.class, null);
        java.util.Map<String, String> expected = java.util.Map.of(
                "<from uri=\"direct:itWrongTo\"/><to uri=\"edgeai:monitor/m\"/>", "use it in from(), not to()",
                "<from uri=\"edgeai:infer/m\"/><to uri=\"log:x\"/>", "use it in to(), not from()",
                "<from uri=\"edgeai:monitor/m?events=weather\"/><to uri=\"log:x\"/>", "events=weather is not one of",
                "<from uri=\"direct:itWrongOption\"/><to uri=\"edgeai:infer/m?skipPipelines=true\"/>", "skipPipelines",
                "<from uri=\"direct:itWrongStage\"/><to uri=\"edgeai:forecast/m\"/>", "unknown edgeai: stage 'forecast'",
                "<from uri=\"direct:itNoSpec\"/><to uri=\"edgeai:train/m\"/>", "name the training spec");
        int n = 0;
        for (java.util.Map.Entry<String, String> route : expected.entrySet()) {
            File file = new File(deployFolder(), "it-wrong-" + n + ".xml");
            Files.writeString(file.toPath(), "<routes xmlns=\"http://camel.apache.org/schema/xml-io\">\n"
                    + "  <route id=\"itWrong" + n++ + "\">" + route.getKey() + "</route>\n</routes>\n");
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                    status(files, file).map(f -> f.state() == RouteFileState.FAILED).orElse(false));
            String error = status(files, file).orElseThrow().error();
            assertTrue(error, error.contains(route.getValue()));
            Files.delete(file.toPath());
        }
    }

    /**
     * The route files the component page (docs/camel-edgeai-component.md) shows load as they are, and a reading sent
     * to the first one passes its stages.
     */
    @Test
    public void theComponentPagesExampleRoutesLoadAndRun() throws Exception {
        RouteFiles files = waitForService(RouteFiles.class, null);
        CamelContext context = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        String page = Files.readString(java.nio.file.Path.of(System.getProperty("edgeai.docs"),
                "camel-edgeai-component.md"));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("```(xml|yaml)\n(.*?)```",
                java.util.regex.Pattern.DOTALL).matcher(page);
        java.util.List<File> examples = new java.util.ArrayList<>();
        while (block.find()) {
            File file = new File(deployFolder(), "it-page-" + examples.size() + "." + block.group(1));
            Files.writeString(file.toPath(), block.group(2));
            examples.add(file);
        }
        assertEquals("the page's examples", 4, examples.size());
        for (File file : examples) {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status(files, file).isPresent());
            RouteFile loaded = status(files, file).orElseThrow();
            assertEquals(file.getName() + ": " + loaded.error(), RouteFileState.LOADED, loaded.state());
        }
        try (ProducerTemplate template = context.createProducerTemplate()) {
            org.apache.camel.Exchange sent = template.request("direct:alerts", e -> e.getMessage().setBody(
                    new io.edgeai.api.reading.Reading("page-1", java.time.Instant.now(), java.util.Map.of("t", 1.0))));
            assertEquals(null, sent.getException());
            assertEquals("default", sent.getMessage().getHeader(io.edgeai.api.routes.EdgeAiHeaders.PIPELINE));
        }
        for (File file : examples) {
            Files.delete(file.toPath());
        }
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> context.getRoute("alerts") == null);
    }
}
