package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.model.ModelRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.Test;

/**
 * Models as a service in the booted assembly, with models exported by plain PyTorch: an uploaded TorchScript MLP
 * answers as PyTorch does; bad archives and bad requests are refused with their reasons while the active version
 * keeps serving; promote and rollback under concurrent load fail and lose nothing.
 */
public class ModelServingIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String api() {
        Connector http = waitForService(Connector.class, "(connector.name=http)");
        waitForService(ModelRegistry.class, null);
        waitForService(InferenceService.class, null);
        return ModelsApi.base(port(http.endpoint(), "http"));
    }

    private static String[] curl(String url, String... args) throws IOException {
        return ModelsApi.curl(url, args);
    }

    private static String[] upload(String api, String model, Path archive) throws IOException {
        return ModelsApi.upload(api, model, archive);
    }

    private static Path archive(String program, String modelJson, String... args) throws Exception {
        return ModelsApi.archive(program, modelJson, args);
    }

    /** An MLP from PyTorch: uploaded, promoted, and its answers equal PyTorch's for the same inputs to 1e-5. */
    @Test
    public void torchScriptFromPyTorchAnswersAsPyTorchDoes() throws Exception {
        String api = api();
        Path folder = Files.createTempDirectory("mlp");
        Random random = new Random(3);
        StringBuilder rows = new StringBuilder();
        List<List<Float>> inputs = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            List<Float> row = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                float v = (float) (random.nextGaussian() * 2);
                row.add(v);
                rows.append(v).append(c == 15 ? "\n" : " ");
            }
            inputs.add(row);
        }
        Files.writeString(folder.resolve("inputs.txt"), rows);
        List<Double> expected = TorchScript.python(TorchScript.MLP, folder.toString()).lines()
                .map(Double::parseDouble).toList();
        assertEquals(20, expected.size());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.json", TorchScript.modelJson(16, 1).getBytes(StandardCharsets.UTF_8));
        files.put("model.pt", Files.readAllBytes(folder.resolve("model.pt")));
        Path archive = TorchScript.zip(folder.resolve("mlp.zip"), files);

        String[] created = upload(api, "mlp", archive);
        assertEquals(created[1], "201", created[0]);
        int version = JSON.readTree(created[1]).get("version").asInt();
        String[] promoted = curl(api + "/mlp/versions/" + version + "/promote", "-X", "POST");
        assertEquals(promoted[1], "200", promoted[0]);

        String[] answer = curl(api + "/mlp/predict", "-H", "Content-Type: application/json", "--data-binary",
                JSON.writeValueAsString(Map.of("inputs", inputs)));
        assertEquals(answer[1], "200", answer[0]);
        JsonNode prediction = JSON.readTree(answer[1]);
        assertEquals("mlp", prediction.get("model").asText());
        assertEquals(version, prediction.get("version").asInt());
        double worst = 0;
        for (int r = 0; r < 20; r++) {
            double got = prediction.get("outputs").get(r).get(0).asDouble();
            worst = Math.max(worst, Math.abs(got - expected.get(r)));
        }
        System.out.printf("TorchScript MLP 16-32-1: largest difference to PyTorch over 20 rows %.3g%n", worst);
        assertTrue("largest difference " + worst, worst <= 1e-5);

        JsonNode shown = JSON.readTree(curl(api + "/mlp")[1]);
        assertEquals(version, shown.get("active").asInt());
        assertEquals("ACTIVE", shown.get("versions").get(version - 1).get("state").asText());
        assertEquals(0.01, shown.get("versions").get(version - 1).get("metrics").get("mse").asDouble(), 0);
        // the one request above, not the warm-up runs before the version served
        assertEquals(shown.toString(), 1, shown.get("serving").get("requests").asLong());
        assertEquals(shown.toString(), 20, shown.get("serving").get("rows").asLong());
    }

    /** Every kind of bad archive and bad request: refused with the reason and counted; the active version serves on. */
    @Test
    public void badArchivesAndRequestsAreRefusedAndTheActiveVersionKeepsServing() throws Exception {
        String api = api();
        Path good = archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), "1");
        String[] created = upload(api, "guarded", good);
        assertEquals(created[1], "201", created[0]);
        assertEquals("200", curl(api + "/guarded/versions/1/promote", "-X", "POST")[0]);
        Connector counters = waitForService(Connector.class, "(connector.name=http-models)");
        Map<String, Long> before = ConnectorCounts.of(counters);

        Path junk = Files.createTempFile("junk", ".zip");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertRefused(upload(api, "guarded", junk), 400, "not a zip archive");
        Path noJson = TorchScript.zip(Files.createTempFile("nojson", ".zip"), Map.of("model.pt", new byte[] {1}));
        assertRefused(upload(api, "guarded", noJson), 400, "missing model.json");
        Path wrongShape = archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 3), "1");
        assertRefused(upload(api, "guarded", wrongShape), 400, "output shape");
        Path notTorch = TorchScript.zip(Files.createTempFile("nottorch", ".zip"), Map.of(
                "model.json", TorchScript.modelJson(4, 1).getBytes(StandardCharsets.UTF_8),
                "model.pt", "not a model".getBytes(StandardCharsets.UTF_8)));
        assertRefused(upload(api, "guarded", notTorch), 400, "cannot load the torchscript model");
        assertRefused(curl(api + "/nothing/predict", "-H", "Content-Type: application/json", "--data-binary",
                "{\"inputs\": [[1, 2, 3, 4]]}"), 404, "no model 'nothing'");
        assertRefused(curl(api + "/guarded/predict", "-H", "Content-Type: application/json", "--data-binary",
                "{\"inputs\": [[1, 2, 3]]}"), 400, "takes 4");
        assertRefused(curl(api + "/guarded/predict", "-H", "Content-Type: application/json", "--data-binary",
                "{\"inputs\": [[1, 2, 3, \"x\"]]}"), 400, "not a number");
        assertRefused(curl(api + "/guarded/predict", "-H", "Content-Type: application/json", "--data-binary",
                "{\"inputs\": "), 400, "not JSON");
        String[] noSuchVersion = curl(api + "/guarded/versions/9/promote", "-X", "POST");
        assertRefused(noSuchVersion, 404, "has no version 9");
        assertRefused(noSuchVersion, 404, "\"type\":\"https://edgeai.io/problems/unknown-resource\"");

        Map<String, Long> after = ConnectorCounts.of(counters);
        assertEquals(9, delta(before, after, "rejected.malformed") + delta(before, after, "rejected.unknown_resource"));
        JsonNode shown = JSON.readTree(curl(api + "/guarded")[1]);
        assertEquals("only the good archive was registered", 1, shown.get("versions").size());
        String[] still = curl(api + "/guarded/predict", "-H", "Content-Type: application/json", "--data-binary",
                "{\"inputs\": [[1, 2, 3, 4]]}");
        assertEquals(still[1], "200", still[0]);
        assertEquals(11.0, JSON.readTree(still[1]).get("outputs").get(0).get(0).asDouble(), 0);
    }

    private static void assertRefused(String[] answer, int status, String reason) {
        assertEquals(answer[1], Integer.toString(status), answer[0]);
        assertTrue(answer[1], answer[1].contains(reason) && answer[1].contains("\"status\":" + status));
    }

    /**
     * Eight clients predict without pause while versions 1 (y = sum + 1) and 2 (y = sum + 2) are promoted and rolled
     * back ten times: no request fails, every answer is computed by the version it names, none is lost.
     */
    @Test
    public void promoteAndRollbackUnderLoadFailNothing() throws Exception {
        String api = api();
        assertEquals("201", upload(api, "swap", archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), "1"))[0]);
        assertEquals("201", upload(api, "swap", archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), "2"))[0]);
        assertEquals("200", curl(api + "/swap/versions/1/promote", "-X", "POST")[0]);
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        Map<Integer, Long> byVersion = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<Integer>> sent = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            int client = c;
            sent.add(clients.submit(() -> {
                int n = 0;
                while (running.get()) {
                    float x = client * 1000 + n % 1000;
                    Http.Answer answer = Http.postJson(api + "/swap/predict", "{\"inputs\": [[" + x + ", 1, 2, 3]]}");
                    n++;
                    if (answer.status() != 200) {
                        wrong.add(answer.status() + " " + answer.body());
                        continue;
                    }
                    JsonNode p = JSON.readTree(answer.body());
                    int version = p.get("version").asInt();
                    double y = p.get("outputs").get(0).get(0).asDouble();
                    if (y != x + 6 + version) {
                        wrong.add("version " + version + " answered " + y + " for " + x);
                    }
                    byVersion.merge(version, 1L, Long::sum);
                }
                return n;
            }));
        }
        for (int move = 0; move < 10; move++) {
            long seen = byVersion.values().stream().mapToLong(Long::longValue).sum();
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                    .until(() -> byVersion.values().stream().mapToLong(Long::longValue).sum() >= seen + 50);
            String[] answer = move % 2 == 0 ? curl(api + "/swap/versions/2/promote", "-X", "POST")
                    : curl(api + "/swap/rollback", "-X", "POST");
            assertEquals(answer[1], "200", answer[0]);
            assertEquals(move % 2 == 0 ? 2 : 1, JSON.readTree(answer[1]).get("version").asInt());
        }
        running.set(false);
        clients.shutdown();
        assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
        long total = 0;
        for (Future<Integer> f : sent) {
            total += f.get();
        }
        assertTrue(wrong.size() + " failed or wrong, e.g. " + wrong.peek(), wrong.isEmpty());
        assertEquals(total, byVersion.values().stream().mapToLong(Long::longValue).sum());
        assertTrue("both versions served: " + byVersion, byVersion.getOrDefault(1, 0L) > 0
                && byVersion.getOrDefault(2, 0L) > 0);
        System.out.printf("promote/rollback x10 under 8 clients: %d requests, by version %s, 0 failed%n", total,
                byVersion);
        // the metrics keep the latency histograms of the version serving now (1, after the last rollback), not of
        // every version that ever served
        String metrics = curl(api.replace("/api/v1/models", "/metrics"))[1];
        assertTrue(metrics, metrics.contains("edgeai_model_latency_seconds_count{model=\"swap\",version=\"1\"}"));
        assertFalse(metrics, metrics.contains("model=\"swap\",version=\"2\""));
    }

    /**
     * An operator changes how requests are batched (etc/io.edgeai.inference.cfg, here from the console) while four
     * clients predict without pause: no request fails, the inference service is not restarted and the model not
     * reloaded, and the new limit is the one requests meet.
     */
    @Test
    public void newInferenceSettingsApplyWhileServingAndFailNothing() throws Exception {
        String api = api();
        assertEquals("201", upload(api, "tuned", archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), "1"))[0]);
        assertEquals("200", curl(api + "/tuned/versions/1/promote", "-X", "POST")[0]);
        String eightRows = "{\"inputs\": [" + String.join(", ", java.util.Collections.nCopies(8, "[1, 2, 3, 4]"))
                + "]}";
        assertEquals(200, Http.postJson(api + "/tuned/predict", eightRows).status());
        Object service = bundleContext.getServiceReference(InferenceService.class).getProperty("service.id");
        PredictTraffic traffic = new PredictTraffic(api, "tuned", 4);
        try (traffic) {
            traffic.answers(100);
            executeCommand("config:property-set -p io.edgeai.inference maxBatchSize 4");
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
                Http.Answer answer = Http.postJson(api + "/tuned/predict", eightRows);
                return answer.status() == 400 && answer.body().contains("at most 4");
            });
            traffic.answers(100);
        } finally {
            executeCommand("config:property-set -p io.edgeai.inference maxBatchSize 32");
        }
        traffic.assertNothingFailedNorReloaded(api, "tuned");
        assertEquals("the inference service was not restarted", service,
                bundleContext.getServiceReference(InferenceService.class).getProperty("service.id"));
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                Http.postJson(api + "/tuned/predict", eightRows).status() == 200);
    }

    /**
     * An operator requires signed uploads (etc/io.edgeai.models.cfg) while clients predict: the next unsigned upload
     * is refused with the reason, no request fails, the registry is not restarted and the model not reloaded.
     */
    @Test
    public void newRegistrySettingsApplyWhileModelsServe() throws Exception {
        String api = api();
        Path unsigned = archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), "1");
        assertEquals("201", upload(api, "strict", unsigned)[0]);
        assertEquals("200", curl(api + "/strict/versions/1/promote", "-X", "POST")[0]);
        Object service = bundleContext.getServiceReference(ModelRegistry.class).getProperty("service.id");
        PredictTraffic traffic = new PredictTraffic(api, "strict", 2);
        try (traffic) {
            traffic.answers(100);
            executeCommand("config:property-set -p io.edgeai.models requireSignature true");
            String[] refused = new String[1];
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
                refused[0] = upload(api, "strict", unsigned)[1];
                return refused[0].contains("\"status\":400");
            });
            assertTrue(refused[0], refused[0].contains("unsigned: an uploaded archive (requireSignature)"));
            traffic.answers(100);
        } finally {
            executeCommand("config:property-set -p io.edgeai.models requireSignature false");
        }
        traffic.assertNothingFailedNorReloaded(api, "strict");
        assertEquals("the registry was not restarted", service,
                bundleContext.getServiceReference(ModelRegistry.class).getProperty("service.id"));
    }

    /**
     * A model bound to the telemetry stream (etc/io.edgeai.telemetry.cfg model = ...): each reading's features go to
     * it and the device's answer carries model, version, score and anomaly (the version's threshold); the CoAP predict
     * endpoint and the console answer from the same version.
     */
    @Test
    public void theDefaultRouteTheCoapEndpointAndTheConsoleAskTheModel() throws Exception {
        String api = api();
        String json = TorchScript.modelJson(4, 1).replace("\"mse\":0.01", "\"threshold\":20");
        assertEquals("201", upload(api, "bound", archive(TorchScript.SUM_PLUS, json, "5"))[0]);
        assertEquals("200", curl(api + "/bound/versions/1/promote", "-X", "POST")[0]);
        String telemetry = api.replace("/models", "/telemetry/");
        executeCommand("config:property-set -p io.edgeai.telemetry model bound");
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Http.postJson(telemetry + "probe",
                    "{\"values\": {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}}").body().contains("\"model\":\"bound\""));
            JsonNode normal = JSON.readTree(Http.postJson(telemetry + "dev1",
                    "{\"ts\": 1764450000000, \"values\": {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}}").body());
            assertEquals("bound", normal.get("model").asText());
            assertEquals(1, normal.get("version").asInt());
            assertEquals(15.0, normal.get("score").asDouble(), 0);
            assertEquals(false, normal.get("anomaly").asBoolean());
            JsonNode high = JSON.readTree(Http.postJson(telemetry + "dev1",
                    "{\"values\": {\"a\": 10, \"b\": 2, \"c\": 3, \"d\": 4}}").body());
            assertEquals(24.0, high.get("score").asDouble(), 0);
            assertEquals(true, high.get("anomaly").asBoolean());
            // a reading with another number of values does not fit the model: refused, the device is told why
            Http.Answer misfit = Http.postJson(telemetry + "dev1", "{\"values\": {\"a\": 1}}");
            assertEquals(400, misfit.status());
            assertTrue(misfit.body(), misfit.body().contains("\"reason\":\"missing_field\"")
                    && misfit.body().contains("takes 4"));
        } finally {
            executeCommand("config:property-set -p io.edgeai.telemetry model \"\"");
        }

        Connector coap = waitForService(Connector.class, "(connector.name=coap)");
        String coapAnswer = CoapClient.postJson("coap://127.0.0.1:" + port(coap.endpoint(), "coap")
                + "/models/bound/predict", "{\"inputs\": [[1, 1, 1, 1], [2, 2, 2, 2]]}");
        assertTrue(coapAnswer, coapAnswer.contains("{\"model\":\"bound\",\"version\":1,\"outputs\":[[9.0],[13.0]]}"));
        String unknownAnswer = CoapClient.postJson("coap://127.0.0.1:" + port(coap.endpoint(), "coap")
                + "/models/nothing/predict", "{\"inputs\": [[1, 1, 1, 1]]}");
        assertTrue(unknownAnswer, unknownAnswer.contains("4.04"));

        assertTrue(executeCommand("edgeai:predict bound 1 2 3 4").contains("bound version 1: [15.0]"));
        String list = executeCommand("edgeai:model-list bound");
        assertTrue(list, list.contains("ACTIVE") && list.contains("4 -> 1") && list.contains("threshold"));
    }

    /** The files of a TorchScript sum model (inputs a..d, as model.json names them) with a pipeline.json. */
    private static Map<String, byte[]> summingWithPipeline(Path folder, String modelJson, String pipeline)
            throws Exception {
        Files.writeString(folder.resolve("inputs.txt"), "");
        TorchScript.python(TorchScript.SUM_PLUS, folder.toString(), "0");
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.json", modelJson.getBytes(StandardCharsets.UTF_8));
        files.put("model.pt", Files.readAllBytes(folder.resolve("model.pt")));
        files.put("pipeline.json", pipeline.getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /**
     * An archive with its own fitted pipeline (pipeline.json, as training writes it) and named input features: the
     * serving version runs each reading through its pipeline, then takes the features by name; a reading the
     * pipeline refuses is answered with the pipeline's reason; a broken pipeline.json refuses the archive.
     */
    @Test
    public void theModelsOwnPipelineAndFeatureNamesApplyWhenServing() throws Exception {
        String api = api();
        Path folder = Files.createTempDirectory("piped");
        String json = "{\"format\":\"torchscript\",\"inputs\":[{\"name\":\"x\",\"shape\":[-1,4],"
                + "\"features\":[\"a\",\"b\",\"c\",\"d\"]}],\"outputs\":[{\"name\":\"y\",\"shape\":[-1,1]}]}";
        String pipeline = "{\"name\":\"piped\",\"steps\":[{\"type\":\"bounds\",\"features\":[\"a\"],\"max\":100},"
                + "{\"type\":\"convert\",\"features\":[\"a\"],\"scale\":2}],\"fitted\":[{},{}]}";
        Map<String, byte[]> files = summingWithPipeline(folder, json, pipeline);
        assertEquals("201", upload(api, "piped", TorchScript.zip(folder.resolve("a.zip"), files))[0]);
        assertEquals("200", curl(api + "/piped/versions/1/promote", "-X", "POST")[0]);
        String telemetry = api.replace("/models", "/telemetry/");
        executeCommand("config:property-set -p io.edgeai.telemetry model piped");
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Http.postJson(telemetry + "probe",
                    "{\"values\": {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}}").body().contains("\"model\":\"piped\""));
            // values in another order: taken by name; a doubled by the model's pipeline: 2 + 2 + 3 + 4
            JsonNode answer = JSON.readTree(Http.postJson(telemetry + "p1",
                    "{\"values\": {\"d\": 4, \"c\": 3, \"b\": 2, \"a\": 1}}").body());
            assertEquals(11.0, answer.get("score").asDouble(), 0);
            Http.Answer refused = Http.postJson(telemetry + "p1", "{\"values\": {\"a\": 500, \"b\": 2, \"c\": 3,"
                    + " \"d\": 4}}");
            assertEquals(400, refused.status());
            assertTrue(refused.body(), refused.body().contains("\"reason\":\"out_of_range\"")
                    && refused.body().contains("its pipeline's step bounds"));
            Http.Answer missing = Http.postJson(telemetry + "p1", "{\"values\": {\"a\": 1, \"b\": 2, \"c\": 3}}");
            assertEquals(400, missing.status());
            assertTrue(missing.body(), missing.body().contains("\"reason\":\"missing_field\"")
                    && missing.body().contains("no 'd'"));
        } finally {
            executeCommand("config:property-set -p io.edgeai.telemetry model \"\"");
        }
        files.put("pipeline.json", "{\"name\":\"piped\",\"steps\":[{\"type\":\"wavelet\"}],\"fitted\":[{}]}"
                .getBytes(StandardCharsets.UTF_8));
        assertRefused(upload(api, "piped", TorchScript.zip(folder.resolve("b.zip"), files)), 400,
                "pipeline.json: steps[0].type: unknown step type 'wavelet'");
    }

    /**
     * One model, one answer everywhere: a version whose pipeline doubles {@code a} and whose model.json names the
     * values it takes ({@code pipelineInputs}, here in another order than the model's features) answers the same
     * reading alike through the telemetry route, HTTP and CoAP predict, the console and {@code edgeai:infer}; rows of a
     * request are one sequence through a fresh copy of the pipeline (a window of 2 answers from the second row on);
     * {@code skipPipeline} hands the model its own inputs; a row of the wrong width is refused naming what it takes.
     */
    @Test
    public void aVersionsPipelineAppliesOnEveryEntryPoint() throws Exception {
        String api = api();
        Path folder = Files.createTempDirectory("everywhere");
        String json = "{\"format\":\"torchscript\",\"inputs\":[{\"name\":\"x\",\"shape\":[-1,4],"
                + "\"features\":[\"a\",\"b\",\"c\",\"d\"]}],\"outputs\":[{\"name\":\"y\",\"shape\":[-1,1]}],"
                + "\"pipelineInputs\":[\"d\",\"c\",\"b\",\"a\"]}";
        String pipeline = "{\"name\":\"doubled\",\"steps\":[{\"type\":\"convert\",\"features\":[\"a\"],"
                + "\"scale\":2}],\"fitted\":[{}]}";
        Map<String, byte[]> files = summingWithPipeline(folder, json, pipeline);
        assertEquals("201", upload(api, "everywhere", TorchScript.zip(folder.resolve("a.zip"), files))[0]);
        assertEquals("200", curl(api + "/everywhere/versions/1/promote", "-X", "POST")[0]);
        JsonNode shown = JSON.readTree(curl(api + "/everywhere")[1]).get("versions").get(0);
        assertEquals("[\"d\",\"c\",\"b\",\"a\"]", shown.get("pipelineInputs").toString());

        // a = 1, b = 2, c = 3, d = 4: the pipeline doubles a, the model sums: 2 + 2 + 3 + 4
        String telemetry = api.replace("/models", "/telemetry/");
        executeCommand("config:property-set -p io.edgeai.telemetry model everywhere");
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Http.postJson(telemetry + "probe",
                    "{\"values\": {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}}").body()
                    .contains("\"model\":\"everywhere\""));
            JsonNode routed = JSON.readTree(Http.postJson(telemetry + "e1",
                    "{\"values\": {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}}").body());
            assertEquals(11.0, routed.get("score").asDouble(), 0);
        } finally {
            executeCommand("config:property-set -p io.edgeai.telemetry model \"\"");
        }
        String[] http = curl(api + "/everywhere/predict", "-X", "POST", "-H", "Content-Type: application/json",
                "--data-binary", "{\"inputs\": [[4, 3, 2, 1], [4, 3, 2, 10]]}");
        assertEquals(http[1], "{\"model\":\"everywhere\",\"version\":1,\"outputs\":[[11.0],[29.0]]}", http[1]);
        Connector coap = waitForService(Connector.class, "(connector.name=coap)");
        String coapAnswer = CoapClient.postJson("coap://127.0.0.1:" + port(coap.endpoint(), "coap")
                + "/models/everywhere/predict", "{\"inputs\": [[4, 3, 2, 1]]}");
        assertTrue(coapAnswer, coapAnswer.contains("{\"model\":\"everywhere\",\"version\":1,\"outputs\":[[11.0]]}"));
        String console = executeCommand("edgeai:predict everywhere 4 3 2 1");
        assertTrue(console, console.contains("everywhere version 1: [11.0]"));
        org.apache.camel.CamelContext camel = waitForService(org.apache.camel.CamelContext.class,
                "(camel.context.name=edgeai)");
        try (org.apache.camel.ProducerTemplate producer = camel.createProducerTemplate()) {
            io.edgeai.api.inference.Prediction infer = producer.requestBody("edgeai:infer/everywhere",
                    new float[] {4, 3, 2, 1}, io.edgeai.api.inference.Prediction.class);
            assertEquals(11.0f, infer.outputs()[0][0], 0);
            io.edgeai.api.inference.Prediction skipped = producer.requestBody(
                    "edgeai:infer/everywhere?skipPipeline=true", new float[] {1, 2, 3, 4},
                    io.edgeai.api.inference.Prediction.class);
            assertEquals("the model's own inputs, as given", 10.0f, skipped.outputs()[0][0], 0);
        }

        // the model's own inputs, explicitly: no pipeline; on the console too
        String[] raw = curl(api + "/everywhere/predict", "-X", "POST", "-H", "Content-Type: application/json",
                "--data-binary", "{\"inputs\": [[1, 2, 3, 4]], \"skipPipeline\": true}");
        assertTrue(raw[1], raw[1].contains("\"outputs\":[[10.0]]"));
        String rawConsole = executeCommand("edgeai:predict --skip-pipeline everywhere 1 2 3 4");
        assertTrue(rawConsole, rawConsole.contains("everywhere version 1: [10.0]"));
        assertRefused(curl(api + "/everywhere/predict", "-X", "POST", "-H", "Content-Type: application/json",
                "--data-binary", "{\"inputs\": [[1, 2, 3]]}"), 400, "takes [d, c, b, a]");

        // a window of 2: one sequence per request, the first row completes nothing yet
        files.put("pipeline.json", ("{\"name\":\"windowed\",\"steps\":[{\"type\":\"convert\",\"features\":[\"a\"],"
                + "\"scale\":2},{\"type\":\"window\",\"size\":2,\"step\":1,\"features\":[\"mean\"]}],"
                + "\"fitted\":[{},{}]}").getBytes(StandardCharsets.UTF_8));
        files.put("model.json", json.replace("[\"a\",\"b\",\"c\",\"d\"]", "[\"a.mean\",\"b.mean\",\"c.mean\",\"d.mean\"]")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("201", upload(api, "everywhere", TorchScript.zip(folder.resolve("b.zip"), files))[0]);
        assertEquals("200", curl(api + "/everywhere/versions/2/promote", "-X", "POST")[0]);
        String[] windowed = curl(api + "/everywhere/predict", "-X", "POST", "-H", "Content-Type: application/json",
                "--data-binary", "{\"inputs\": [[4, 3, 2, 1], [4, 3, 2, 3]]}");
        assertEquals(windowed[1], "{\"model\":\"everywhere\",\"version\":2,\"outputs\":[[],[13.0]]}", windowed[1]);
        String waiting = executeCommand("edgeai:predict everywhere 4 3 2 1");
        assertTrue(waiting, waiting.contains("no output"));
    }

    /** Deleting versions: not the active one (409), a retired one by HTTP (204), a staged one by the console; gone. */
    @Test
    public void versionsThatAreNotActiveCanBeDeleted() throws Exception {
        String api = api();
        for (String k : new String[] {"1", "2", "3"}) {
            assertEquals("201", upload(api, "gone", archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), k))[0]);
        }
        assertEquals("200", curl(api + "/gone/versions/1/promote", "-X", "POST")[0]);
        assertEquals("200", curl(api + "/gone/versions/2/promote", "-X", "POST")[0]);
        assertRefused(curl(api + "/gone/versions/2", "-X", "DELETE"), 409, "is active");
        assertEquals("204", curl(api + "/gone/versions/1", "-X", "DELETE")[0]);
        assertRefused(curl(api + "/gone/versions/1", "-X", "DELETE"), 404, "has no version 1");
        assertTrue(executeCommand("edgeai:model-delete gone 3").contains("version 3 deleted"));
        JsonNode shown = JSON.readTree(curl(api + "/gone")[1]);
        assertEquals(1, shown.get("versions").size());
        assertEquals(2, shown.get("versions").get(0).get("version").asInt());
        assertRefused(curl(api + "/gone/rollback", "-X", "POST"), 400, "no earlier active version");
        String[] again = upload(api, "gone", archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), "4"));
        assertEquals("numbers are not reused", 4, JSON.readTree(again[1]).get("version").asInt());
    }
}
