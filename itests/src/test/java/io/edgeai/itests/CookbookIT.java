package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every route of the integrator's cookbook (docs/cookbook/*, shown in docs/cookbook.md) run as an operator runs it:
 * the file as the docs give it, only the far end's address replaced, dropped into deploy/ of a gateway started from the
 * assembly, with the component features installed at runtime; the far ends are real (Mosquitto, Kafka in KRaft mode,
 * an HTTP server) and the readings come over HTTP with curl. The default route keeps answering the devices meanwhile.
 */
public class CookbookIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path COOKBOOK = Path.of(System.getProperty("user.dir"), "..", "docs", "cookbook");

    @ClassRule
    public static TemporaryFolder tmp = GatewayProcess.folder();

    private static GatewayProcess gateway;

    @BeforeClass
    public static void startGateway() throws Exception {
        gateway = GatewayProcess.unpack(tmp.getRoot().toPath().resolve("gateway"));
        gateway.start(false);
        gateway.awaitConnectors();
        Curl.awaitServlet("http://127.0.0.1:" + gateway.httpPort, Duration.ofSeconds(120));
        GatewayProcess.Script install = gateway.install("edgeai-camel-file", "edgeai-camel-http",
                "edgeai-camel-paho-mqtt5", "edgeai-camel-kafka");
        assertEquals(install.output(), 0, install.exit());
    }

    @AfterClass
    public static void stopGateway() throws Exception {
        if (gateway != null) {
            assertEquals("errors in karaf.log", "", gateway.errors());
            gateway.stop();
        }
    }

    @Test
    public void anomaliesGoToACloudBroker() throws Exception {
        Path folder = tmp.getRoot().toPath().resolve("cloud");
        Files.createDirectories(folder);
        try (MosquittoBroker cloud = new MosquittoBroker(folder)) {
            cloud.start();
            Path received = folder.resolve("received.txt");
            Process subscriber = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", cloud.port, "-q", "1",
                    "-v", "-t", "site-7/anomalies/#").redirectErrorStream(true).redirectOutput(received.toFile())
                    .start();
            try {
                deploy("anomalies-to-cloud.xml", Map.of("cloud.example.com:1883", "127.0.0.1:" + cloud.port));
                streamWithOneSpike("pump-9");
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(received).contains("pump-9"));
                String line = Files.readAllLines(received).get(0);
                assertTrue(line, line.startsWith("site-7/anomalies/pump-9 {"));
                JsonNode alert = JSON.readTree(line.substring(line.indexOf(' ') + 1));
                assertTrue(line, alert.get("alert").asBoolean());
                assertEquals(line, 90.0, alert.get("values").get("n").asDouble(), 0);
            } finally {
                undeploy("anomalies-to-cloud.xml");
                subscriber.destroy();
                subscriber.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    public void resultsAreAppendedToAFilePerDevice() throws Exception {
        deploy("results-to-file.yaml", Map.of());
        try {
            for (int n = 0; n < 5; n++) {
                assertEquals("200", Curl.postValue(telemetry("meter-1"), n));
            }
            Path file = gateway.home.resolve("data/results/meter-1.jsonl");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file)
                        && Files.readAllLines(file).size() == 5);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(Files.exists(file) ? Files.readString(file) : "no " + file, e);
            }
            List<String> lines = Files.readAllLines(file);
            for (int n = 0; n < 5; n++) {
                assertEquals(lines.get(n), n, JSON.readTree(lines.get(n)).get("values").get("n").asInt());
            }
        } finally {
            undeploy("results-to-file.yaml");
        }
    }

    @Test
    public void anAlertCallsARestService() throws Exception {
        List<String> posted = new CopyOnWriteArrayList<>();
        HttpServer service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/api/alerts", exchange -> {
            posted.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                    + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        service.start();
        try {
            deploy("alert-to-rest.xml", Map.of("alerts.example.com:8080", "127.0.0.1:"
                    + service.getAddress().getPort()));
            streamWithOneSpike("fan-3");
            await().atMost(Duration.ofSeconds(30)).until(() -> !posted.isEmpty());
            String call = posted.get(0);
            assertTrue(call, call.startsWith("POST application/json {"));
            JsonNode alert = JSON.readTree(call.substring(call.indexOf('{')));
            assertEquals(call, "fan-3", alert.get("deviceId").asText());
            assertTrue(call, alert.get("alert").asBoolean());
        } finally {
            undeploy("alert-to-rest.xml");
            service.stop(0);
        }
    }

    @Test
    public void resultsOfSomeDevicesGoToAKafkaTopic() throws Exception {
        try (KafkaBroker kafka = new KafkaBroker(tmp.getRoot().toPath().resolve("kafka"))) {
            kafka.start();
            kafka.createTopics(Map.of("site-7.pumps", new int[] {3, 0}));
            deploy("results-to-kafka.yaml", Map.of("kafka.example.com:9092", kafka.bootstrap()));
            try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(List.of("site-7.pumps"))) {
                for (int n = 0; n < 4; n++) {
                    assertEquals("200", Curl.postValue(telemetry("pump-" + (n % 2)), n));
                    assertEquals("200", Curl.postValue(telemetry("fan-" + (n % 2)), n));
                }
                List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    got.addAll(KafkaBroker.poll(consumer));
                    return got.size() >= 4;
                });
                for (ConsumerRecord<byte[], byte[]> record : got) {
                    JsonNode result = JSON.readTree(record.value());
                    String device = result.get("deviceId").asText();
                    assertTrue(device, device.startsWith("pump-"));
                    assertEquals(device, new String(record.key(), StandardCharsets.UTF_8));
                }
                assertEquals("only the pumps' results", 4, got.size() + KafkaBroker.poll(consumer).size());
            } finally {
                undeploy("results-to-kafka.yaml");
            }
        }
    }

    @Test
    public void modelEventsAreLoggedWithTheirHeaders() throws Exception {
        deploy("model-events-to-file.xml", Map.of());
        try {
            String api = ModelsApi.base(gateway.httpPort);
            Path archive = ModelsApi.archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), "1.5");
            String[] uploaded = ModelsApi.upload(api, "cookbook-adder", archive);
            assertEquals(uploaded[1], "201", uploaded[0]);
            String[] promoted = ModelsApi.curl(api + "/cookbook-adder/versions/1/promote", "-X", "POST");
            assertEquals(promoted[1], "200", promoted[0]);
            Path log = gateway.home.resolve("data/model-events.log");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log)
                    && Files.readString(log).contains("PROMOTED model=cookbook-adder version=1"));
            List<String> lines = Files.readAllLines(log);
            assertEquals(lines.toString(), 2, lines.size());
            assertTrue(lines.toString(), lines.get(0).endsWith(
                    " io/edgeai/model/REGISTERED model=cookbook-adder version=1"));
            assertTrue(lines.toString(), lines.get(1).endsWith(
                    " io/edgeai/model/PROMOTED model=cookbook-adder version=1"));
        } finally {
            undeploy("model-events-to-file.xml");
        }
    }

    @Test
    public void theCookbookPageShowsEveryRouteAsItIsRun() throws Exception {
        String page = Files.readString(COOKBOOK.resolveSibling("cookbook.md"));
        List<String> files;
        try (var listed = Files.list(COOKBOOK)) {
            files = listed.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("alert-to-rest.xml", "anomalies-to-cloud.xml", "model-events-to-file.xml",
                "results-to-file.yaml", "results-to-kafka.yaml"), files);
        for (String file : files) {
            assertTrue(file + " as it is in cookbook.md", page.contains(Files.readString(COOKBOOK.resolve(file))
                    .strip()));
        }
    }

    private static String telemetry(String device) {
        return "http://127.0.0.1:" + gateway.httpPort + "/api/v1/telemetry/" + device;
    }

    /**
     * 60 readings around 20 (a small deterministic wobble), one of 90, then 5 more around 20: the anomaly watch scores
     * from the 27th reading and opens one episode at the spike. Each reading is acknowledged before the next.
     */
    private static void streamWithOneSpike(String device) throws Exception {
        for (int n = 0; n < 66; n++) {
            double value = n == 60 ? 90 : 20 + Math.sin(n * 0.7) * 0.5;
            String status = Curl.run("-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                    "--data-binary", "{\"values\": {\"n\": " + value + "}}", telemetry(device));
            assertEquals("reading " + n, "200", status);
        }
    }

    /** Copies a cookbook file into deploy/, the far end's address replaced, and waits until its routes run. */
    private static void deploy(String name, Map<String, String> replace) throws Exception {
        String text = Files.readString(COOKBOOK.resolve(name));
        for (Map.Entry<String, String> r : replace.entrySet()) {
            assertTrue(name + " names " + r.getKey(), text.contains(r.getKey()));
            text = text.replace(r.getKey(), r.getValue());
        }
        int before = occurrences(gateway.logText(), "Route file " + name + " loaded");
        Files.writeString(gateway.home.resolve("deploy").resolve(name), text);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> occurrences(gateway.logText(), "Route file " + name
                    + " loaded") > before);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(name + " did not load: " + gateway.console("edgeai:route-list"), e);
        }
    }

    private static void undeploy(String name) throws Exception {
        int before = occurrences(gateway.logText(), "Route file " + name + " deleted");
        Files.delete(gateway.home.resolve("deploy").resolve(name));
        await().atMost(Duration.ofSeconds(60)).until(() -> occurrences(gateway.logText(), "Route file " + name
                + " deleted") > before);
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
