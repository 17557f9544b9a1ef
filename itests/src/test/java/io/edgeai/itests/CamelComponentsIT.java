package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.routes.RouteFile;
import io.edgeai.api.routes.RouteFileState;
import io.edgeai.api.routes.RouteFiles;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Camel components as features, installed and uninstalled while the gateway runs: a route file that uses a scheme
 * whose feature is not installed is refused saying so; installing the feature loads it (no restart of the
 * context); uninstalling it stops exactly the routes that use it, and their file says why; installing it again
 * brings them back. The paho-mqtt5 component publishes to a real Mosquitto broker, as to a cloud broker.
 */
public class CamelComponentsIT extends EdgeAiTestSupport {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Optional<RouteFile> status(RouteFiles files, File file) {
        return files.files().stream().filter(f -> f.file().getFileName().toString().equals(file.getName()))
                .findFirst();
    }

    private static long count(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    @Test
    public void aComponentFeatureComesAndGoesWithItsRoutes() throws Exception {
        CamelContext context = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
        RouteFiles files = waitForService(RouteFiles.class, null);
        Path out = tmp.newFolder("out").toPath();
        File routes = new File(deployFolder(), "it-to-file.xml");
        Files.writeString(routes.toPath(), "<routes xmlns=\"http://camel.apache.org/schema/xml-io\">\n"
                + "  <route id=\"itToFile\">\n"
                + "    <from uri=\"timer:itToFile?period=100\"/>\n"
                + "    <setBody><constant>tick</constant></setBody>\n"
                + "    <to uri=\"file:" + out + "?fileName=${exchangeId}.txt\"/>\n"
                + "  </route>\n"
                + "  <route id=\"itUnrelated\">\n"
                + "    <from uri=\"direct:itUnrelated\"/>\n"
                + "    <setBody><constant>still here</constant></setBody>\n"
                + "  </route>\n"
                + "</routes>\n");
        try {
            // without the feature: refused, saying what is missing
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status(files, routes)
                    .filter(f -> f.state() == RouteFileState.FAILED).isPresent());
            assertTrue(status(files, routes).get().error(), status(files, routes).get().error()
                    .contains("file://"));

            executeCommand("feature:install edgeai-camel-file");
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status(files, routes)
                    .filter(f -> f.state() == RouteFileState.LOADED).isPresent());
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).untilAsserted(() -> assertTrue("files written: "
                    + count(out) + "; route itToFile " + context.getRouteController().getRouteStatus("itToFile")
                    + ", endpoints " + context.getEndpoints() + ", inflight " + context.getInflightRepository()
                    .size(), count(out) >= 3));
            try (Stream<Path> written = Files.list(out)) {
                assertEquals("tick", Files.readString(written.findFirst().orElseThrow()));
            }

            executeCommand("feature:uninstall edgeai-camel-file");
            RouteFile stopped = status(files, routes).orElseThrow();
            assertEquals(stopped.toString(), RouteFileState.FAILED, stopped.state());
            assertTrue(stopped.error(), stopped.error().contains("component file is gone: feature"
                    + " edgeai-camel-file was uninstalled or stopped") && stopped.error().contains(
                    "feature:install edgeai-camel-file"));
            assertNull(context.getRoute("itToFile"));
            assertNull("the file's routes stop together", context.getRoute("itUnrelated"));
            assertNull(context.hasComponent("file"));
            String listed = executeCommand("edgeai:route-list");
            assertTrue(listed, listed.contains("it-to-file.xml") && listed.contains("FAILED"));

            executeCommand("feature:install edgeai-camel-file");
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status(files, routes)
                    .filter(f -> f.state() == RouteFileState.LOADED).isPresent());
            assertTrue(context.getRoute("itUnrelated") != null);
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> context.getRoute("itToFile") != null);
        } finally {
            Files.deleteIfExists(routes.toPath());
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status(files, routes).isEmpty());
            executeCommand("feature:uninstall edgeai-camel-file");
        }
    }

    @Test
    public void pahoMqtt5PublishesToAnotherBroker() throws Exception {
        RouteFiles files = waitForService(RouteFiles.class, null);
        try (MosquittoBroker cloud = new MosquittoBroker(tmp.newFolder("cloud").toPath())) {
            cloud.start();
            File routes = new File(deployFolder(), "it-to-cloud.xml");
            executeCommand("feature:install edgeai-camel-paho-mqtt5");
            Files.writeString(routes.toPath(), "<routes xmlns=\"http://camel.apache.org/schema/xml-io\">\n"
                    + "  <route id=\"itToCloud\">\n"
                    + "    <from uri=\"timer:itToCloud?period=200\"/>\n"
                    + "    <setBody><constant>{\"from\": \"gateway\"}</constant></setBody>\n"
                    + "    <to uri=\"paho-mqtt5:site/anomalies?brokerUrl=tcp://127.0.0.1:" + cloud.port + "&amp;qos=1\"/>\n"
                    + "  </route>\n"
                    + "</routes>\n");
            try {
                await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status(files, routes)
                        .filter(f -> f.state() != null).isPresent());
                RouteFile loaded = status(files, routes).get();
                assertEquals(String.valueOf(loaded.error()), RouteFileState.LOADED, loaded.state());
                Mosquitto.Result received = new Mosquitto(cloud.port, null, null).sub("-t", "site/anomalies", "-C",
                        "1", "-W", "30");
                assertEquals(received.output(), 0, received.exit());
                assertEquals("{\"from\": \"gateway\"}", received.output());
            } finally {
                Files.deleteIfExists(routes.toPath());
                await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status(files, routes).isEmpty());
                executeCommand("feature:uninstall edgeai-camel-paho-mqtt5");
            }
        }
    }

    /**
     * http (a client) and jackson: a route posts a reading to the gateway's own HTTP API as to any REST service,
     * reads the JSON answer into a map and writes one of its fields to a file.
     */
    @Test
    public void httpAndJacksonCallARestServiceAndReadItsAnswer() throws Exception {
        RouteFiles files = waitForService(RouteFiles.class, null);
        String http = port(waitForService(io.edgeai.api.connector.Connector.class, "(connector.name=http)")
                .endpoint(), "http");
        Path out = tmp.newFolder("rest").toPath();
        File routes = new File(deployFolder(), "it-rest.xml");
        executeCommand("feature:install edgeai-camel-http edgeai-camel-jackson");
        Files.writeString(routes.toPath(), "<routes xmlns=\"http://camel.apache.org/schema/xml-io\">\n"
                + "  <route id=\"itRest\">\n"
                + "    <from uri=\"timer:itRest?repeatCount=1\"/>\n"
                + "    <setBody><constant>{\"values\": {\"t\": 21.5}}</constant></setBody>\n"
                + "    <setHeader name=\"Content-Type\"><constant>application/json</constant></setHeader>\n"
                + "    <to uri=\"http://127.0.0.1:" + http + "/api/v1/telemetry/rest-dev\"/>\n"
                + "    <unmarshal><json/></unmarshal>\n"
                + "    <setBody><simple>${body[deviceId]} ${body[values][t]}</simple></setBody>\n"
                + "    <to uri=\"file:" + out + "?fileName=answer.txt\"/>\n"
                + "  </route>\n"
                + "</routes>\n");
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Files.exists(out.resolve("answer.txt")));
            assertEquals("rest-dev 21.5", Files.readString(out.resolve("answer.txt")));
            assertEquals(RouteFileState.LOADED, status(files, routes).orElseThrow().state());
        } finally {
            Files.deleteIfExists(routes.toPath());
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status(files, routes).isEmpty());
            executeCommand("feature:uninstall edgeai-camel-http edgeai-camel-jackson");
        }
    }
}
