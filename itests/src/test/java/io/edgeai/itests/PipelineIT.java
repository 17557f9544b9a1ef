package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.Pipelines;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.Telemetry;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.Test;

/**
 * Pipelines in the booted assembly: the default route's pipeline changed live under HTTP load (every reading answered,
 * each by one whole revision), refusals answered per protocol and counted, pipeline files in deploy/ with their console
 * view, learning from the first readings, and the {@code edgeai:preprocess} Camel endpoint.
 */
public class PipelineIT extends EdgeAiTestSupport {

    private static final Pattern FEATURE_X = Pattern.compile("\"features\":\\{\"x\":([-0-9.E]+)}");
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");

    private static Path defaultPipeline() {
        return new File(System.getProperty("karaf.base"), "etc/default.pipeline.yaml").toPath();
    }

    /** Writes a file the way editors save: a temporary file renamed over the old one. */
    private static void save(Path file, String text) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private PipelineStatus status(String name) {
        return waitForService(Pipelines.class, null).status(name).orElseThrow(() -> new AssertionError("no " + name));
    }

    /** Saves a new default pipeline and waits until its revision serves. */
    private long changeDefault(String text) throws IOException {
        long before = status("default").revision();
        save(defaultPipeline(), text);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status("default").revision() > before);
        return status("default").revision();
    }

    /** y = scale * x + offset in two steps, so that a reading processed half by each of two revisions would show. */
    private static String linear(double scale, double offset) {
        return "name: default\nsteps:\n"
                + "  - type: convert\n    features: [x]\n    scale: " + scale + "\n"
                + "  - type: convert\n    features: [x]\n    offset: " + offset + "\n";
    }

    /** "status body", as the assertions below read it. */
    private static String post(String url, String json) throws IOException {
        Http.Answer answer = Http.postJson(url, json);
        return answer.status() + " " + answer.body();
    }

    private String httpBase() {
        Connector http = waitForService(Connector.class, "(connector.name=http)");
        String base = "http://127.0.0.1:" + port(http.endpoint(), "http");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
            try {
                return post(base + "/api/v1/telemetry/probe", "{\"values\": {\"x\": 1}}").startsWith("200 ");
            } catch (IOException e) {
                return false;
            }
        });
        return base;
    }

    /**
     * Four HTTP clients send readings without pause while the default pipeline is saved ten times, alternating
     * y = 2x and y = 3x + 1000, with a broken save in the middle: every reading is answered 200, the answer's features
     * are exactly the transform of the revision it names, and the pipeline counted every reading.
     */
    @Test
    public void liveChangeWhileReadingsFlowLosesNothingAndMixesNothing() throws Exception {
        String original = Files.readString(defaultPipeline());
        String url = httpBase() + "/api/v1/telemetry/";
        long r0 = status("default").revision();
        long readingsBefore = status("default").counters().getOrDefault("readings", 0L);
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        Map<Long, Long> answersByRevision = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Integer>> sent = new ArrayList<>();
        try {
            for (int c = 0; c < 4; c++) {
                String device = "live" + c;
                sent.add(clients.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        double x = 1 + n % 100_000;
                        String answer = post(url + device, "{\"values\": {\"x\": " + x + "}}");
                        n++;
                        Matcher feature = FEATURE_X.matcher(answer);
                        Matcher revision = REVISION.matcher(answer);
                        if (!answer.startsWith("200 ") || !feature.find() || !revision.find()) {
                            wrong.add(answer);
                            continue;
                        }
                        long r = Long.parseLong(revision.group(1));
                        double y = Double.parseDouble(feature.group(1));
                        double expected = r == r0 ? x : (r - r0) % 2 == 1 ? 2 * x : 3 * x + 1000;
                        if (y != expected) {
                            wrong.add("revision " + r + ": x = " + x + " became " + y + ", expected " + expected);
                        }
                        answersByRevision.merge(r, 1L, Long::sum);
                    }
                    return n;
                }));
            }
            for (int change = 1; change <= 10; change++) {
                long revision = changeDefault(change % 2 == 1 ? linear(2, 0) : linear(3, 1000));
                assertEquals(r0 + change, revision);
                await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                        .until(() -> answersByRevision.getOrDefault(revision, 0L) >= 20);
                if (change == 5) {
                    save(defaultPipeline(), linear(3, 1000).replace("offset:", "ofset:"));
                    await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> status("default").error() != null);
                    assertTrue(status("default").error(),
                            status("default").error().startsWith("steps[1] (convert): unknown parameter 'ofset'"));
                    assertEquals("the refused text changed nothing", revision, status("default").revision());
                    long seen = answersByRevision.get(revision);
                    await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                            .until(() -> answersByRevision.get(revision) >= seen + 20);
                }
            }
        } finally {
            running.set(false);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
            changeDefault(original);
        }
        long total = 0;
        for (Future<Integer> count : sent) {
            total += count.get();
        }
        assertTrue(wrong.size() + " wrong answers, e.g. " + wrong.peek(), wrong.isEmpty());
        long answered = answersByRevision.values().stream().mapToLong(Long::longValue).sum();
        assertEquals("every reading answered", total, answered);
        long counted = status("default").counters().get("readings") - readingsBefore;
        assertTrue("the pipeline saw every reading: " + counted + " for " + total, counted >= total);
        System.out.printf("live change: %d readings over 10 revisions, by revision %s%n", total,
                new java.util.TreeMap<>(answersByRevision));
    }

    /** A reading the pipeline refuses is answered with the protocol's error on each protocol, and counted twice. */
    @Test
    public void refusalsAreProtocolErrorsCountedByReason() throws Exception {
        String original = Files.readString(defaultPipeline());
        String http = httpBase();
        Connector coap = waitForService(Connector.class, "(connector.name=coap)");
        Connector mqtt = waitForService(Connector.class, "(connector.name=mqtt)");
        Mosquitto mosquitto = new Mosquitto(port(mqtt.endpoint(), "mqtt"), MQTT_USER, MQTT_PASSWORD);
        changeDefault("name: default\nsteps:\n  - type: bounds\n    features: [t]\n    min: -50\n    max: 100\n"
                + "  - type: fill\n    features: [h]\n    method: last\n");
        try {
            Map<String, Long> pipelineBefore = status("default").counters();
            Map<String, Long> httpBefore = ConnectorCounts.of(waitForService(Connector.class, "(connector.name=http)"));
            Map<String, Long> coapBefore = ConnectorCounts.of(coap);
            Map<String, Long> mqttBefore = ConnectorCounts.of(mqtt);

            String refused = post(http + "/api/v1/telemetry/hot", "{\"values\": {\"t\": 500, \"h\": 1}}");
            assertTrue(refused, refused.startsWith("400 ") && refused.contains("\"reason\":\"out_of_range\"")
                    && refused.contains("step bounds: 't' = 500.0 is outside [-50.0, 100.0]"));
            // fill: a first reading without h has nothing to fill from; later ones are repaired with the last h
            String missing = post(http + "/api/v1/telemetry/dry", "{\"values\": {\"t\": 20}}");
            assertTrue(missing, missing.startsWith("400 ") && missing.contains("\"reason\":\"missing_field\""));
            assertTrue(post(http + "/api/v1/telemetry/dry", "{\"values\": {\"t\": 20, \"h\": 41.5}}")
                    .startsWith("200 "));
            String repaired = post(http + "/api/v1/telemetry/dry", "{\"values\": {\"t\": 21}}");
            assertTrue(repaired, repaired.startsWith("200 ") && repaired.contains("\"features\":{\"t\":21.0,\"h\":41.5}"));

            Process client = new ProcessBuilder("coap-client-notls", "-B", "20", "-m", "post", "-t", "50", "-e",
                    "{\"values\": {\"t\": -80}}", "coap://127.0.0.1:" + port(coap.endpoint(), "coap") + "/telemetry/cold")
                    .redirectErrorStream(true).start();
            String coapOut = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(client.waitFor(60, TimeUnit.SECONDS));
            assertTrue(coapOut, coapOut.contains("4.00") && coapOut.contains("'t' = -80.0 is outside"));

            mosquitto.subscribe("it-pipeline-errors", "edgeai/errors/spike");
            assertEquals(0, mosquitto.pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/telemetry/spike",
                    "-m", "{\"values\": {\"t\": 1000}}").exit());
            List<String> errors = mosquitto.receive("it-pipeline-errors", 1, "edgeai/errors/spike");
            assertTrue(errors.toString(), errors.get(0).contains("\"reason\":\"out_of_range\""));

            Map<String, Long> pipelineAfter = status("default").counters();
            assertEquals(3, delta(pipelineBefore, pipelineAfter, "rejected.out_of_range"));
            assertEquals(1, delta(pipelineBefore, pipelineAfter, "rejected.missing_field"));
            assertEquals(1, delta(httpBefore, ConnectorCounts.of(waitForService(Connector.class, "(connector.name=http)")),
                    "rejected.out_of_range"));
            assertEquals(1, delta(httpBefore, ConnectorCounts.of(waitForService(Connector.class, "(connector.name=http)")),
                    "rejected.missing_field"));
            assertEquals(1, delta(coapBefore, ConnectorCounts.of(coap), "rejected.out_of_range"));
            assertEquals(1, delta(mqttBefore, ConnectorCounts.of(mqtt), "rejected.out_of_range"));
        } finally {
            changeDefault(original);
        }
    }

    /**
     * Pipeline files in deploy/: a broken one listed as FAILED with its place, a learning one fitted on its first
     * readings with its state kept under data/, both reachable by the edgeai:preprocess endpoint, gone when deleted.
     */
    @Test
    public void deployedPipelinesTheConsoleAndTheCamelEndpoint() throws Exception {
        assertTrue(executeCommand("edgeai:pipeline-list").contains("default"));
        File broken = new File(deployFolder(), "broken.pipeline.yaml");
        File learning = new File(deployFolder(), "scaled.pipeline.yaml");
        try {
            save(broken.toPath(), "name: broken\nsteps:\n  - type: wavelet\n");
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                    executeCommand("edgeai:pipeline-list").contains("unknown step type 'wavelet'"));
            String list = executeCommand("edgeai:pipeline-list");
            assertTrue(list, list.contains("FAILED") && list.contains("steps[0].type"));

            save(learning.toPath(), "name: scaled\nsteps:\n  - type: zscore\n    features: [x]\nfit:\n  samples: 4\n");
            Pipeline scaled = waitForService(Pipeline.class, "(pipeline.name=scaled)");
            assertTrue(executeCommand("edgeai:pipeline-show scaled").contains("LEARNING (learning 0/4)"));

            CamelContext camel = waitForService(CamelContext.class, "(camel.context.name=edgeai)");
            ProducerTemplate producer = camel.createProducerTemplate();
            for (int i = 0; i < 4; i++) {
                Reading reading = new Reading("cam", Instant.ofEpochSecond(i), Map.of("x", 10.0 * i));
                Exchange learned = producer.request("edgeai:preprocess/scaled", e -> e.getMessage().setBody(reading));
                assertEquals(List.of(), learned.getMessage().getBody());
            }
            // x = 0, 10, 20, 30: mean 15, std sqrt(125); reading JSON as text works too, with the device header
            Exchange served = producer.request("edgeai:preprocess/scaled", e -> {
                e.getMessage().setBody("{\"values\": {\"x\": 40}}");
                e.getMessage().setHeader(Telemetry.HEADER_DEVICE_ID, "cam");
            });
            @SuppressWarnings("unchecked")
            List<Features> features = (List<Features>) served.getMessage().getBody();
            assertEquals((float) (25 / Math.sqrt(125)), features.get(0).values()[0], 0);
            assertEquals("scaled", served.getMessage().getHeader(Pipeline.HEADER_PIPELINE));
            assertEquals(scaled.status().revision(), served.getMessage().getHeader(Pipeline.HEADER_REVISION));
            String show = executeCommand("edgeai:pipeline-show scaled");
            assertTrue(show, show.contains("SERVING") && show.contains("learned:") && show.contains("15.0"));
            assertTrue(new File(System.getProperty("karaf.data"), "edgeai/pipelines/scaled.fitted.json").isFile());

            // a refusal is an answer in headers, not an exception; an unknown pipeline fails unless optional
            Exchange bad = producer.request("edgeai:preprocess/scaled", e -> e.getMessage().setBody("{\"values\": "));
            assertNotNull(bad.getException()); // no device header: the endpoint's misuse is a failure
            Exchange malformed = producer.request("edgeai:preprocess/scaled", e -> {
                e.getMessage().setBody("{\"values\": ");
                e.getMessage().setHeader(Telemetry.HEADER_DEVICE_ID, "cam");
            });
            assertEquals("MALFORMED", malformed.getMessage().getHeader(Telemetry.HEADER_REJECT_REASON));
            assertThrows(CamelExecutionException.class, () -> producer.requestBody("edgeai:preprocess/nothing",
                    new Reading("cam", Instant.now(), Map.of("x", 1.0))));
            Object passed = producer.requestBody("edgeai:preprocess/nothing?optional=true",
                    new Reading("cam", Instant.ofEpochSecond(9), Map.of("x", 1.0)));
            assertTrue(passed instanceof Reading);
        } finally {
            Files.deleteIfExists(broken.toPath());
            Files.deleteIfExists(learning.toPath());
        }
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
            String list = executeCommand("edgeai:pipeline-list");
            return !list.contains("broken") && !list.contains("scaled");
        });
    }
}
