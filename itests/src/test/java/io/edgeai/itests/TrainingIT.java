package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.training.TrainingService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.Test;
import org.osgi.framework.Bundle;

/**
 * Training in the booted assembly, driven over HTTP with curl: a job trains a linear model on a CSV file, registers
 * and (autoPromote, nothing active yet) promotes it, and the model then answers predictions; a worse model is
 * registered but not promoted; bad specs are refused by field; a job can be cancelled; a diverging job fails saying
 * why; a stop mid-job and a record left "running" by a killed gateway both end as interrupted.
 */
public class TrainingIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String jobsApi() {
        waitForService(TrainingService.class, null);
        waitForService(ModelRegistry.class, null);
        Connector http = waitForService(Connector.class, "(connector.name=http)");
        String models = ModelsApi.base(port(http.endpoint(), "http"));
        return models.replace("/models", "/training-jobs");
    }

    private static String[] post(String url, String json) throws Exception {
        return ModelsApi.curl(url, "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", json);
    }

    private static JsonNode awaitFinished(String jobs, String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
            last[0] = JSON.readTree(ModelsApi.curl(jobs + "/" + id)[1]);
            String state = last[0].get("state").asText();
            return !state.equals("QUEUED") && !state.equals("RUNNING");
        });
        return last[0];
    }

    /**
     * Auto-promote scores each version on the same raw held-out readings through its own pipeline: with the same
     * readings and seed, jobs hold out the same rows, so the figures it reports for a version equal that version's
     * own validation loss. A version on raw values (poor) is beaten by one on z-scores, which a later raw one does not
     * beat; once the active version was scored on the new version's z-scores (a loss 800 times off).
     */
    @Test
    public void autoPromoteScoresEachVersionThroughItsOwnPipeline() throws Exception {
        String jobs = jobsApi();
        String models = jobs.replace("/training-jobs", "/models");
        String telemetry = models.replace("/models", "/telemetry/meter-2");
        sendMeterReadings(telemetry, 8, 1_764_460_000_000L);
        String data = "\"data\": {\"source\": \"readings\", \"device\": \"meter-2\", \"inputs\": [\"a\", \"b\"],"
                + " \"targets\": [\"y\"]}";
        String raw = "{\"model\": \"cmp\", \"architecture\": \"linear\", \"optimizer\": {\"type\": \"sgd\","
                + " \"learningRate\": 0.00001}, \"epochs\": 3, \"earlyStopping\": {\"patience\": 0},"
                + " \"autoPromote\": true, " + data + "}";
        String scaled = "{\"model\": \"cmp\", \"architecture\": \"linear\", \"optimizer\": {\"type\": \"sgd\","
                + " \"learningRate\": 0.1}, \"epochs\": 200, \"earlyStopping\": {\"patience\": 0},"
                + " \"autoPromote\": true, \"pipeline\": {\"steps\": [{\"type\": \"zscore\", \"features\": [\"a\","
                + " \"b\"]}]}, " + data + "}";
        JsonNode first = awaitFinished(jobs, JSON.readTree(post(jobs, raw)[1]).get("id").asText());
        assertTrue(first.toString(), first.get("promoted").asBoolean());
        double rawLoss = first.get("metrics").get("validationLoss").asDouble();

        JsonNode second = awaitFinished(jobs, JSON.readTree(post(jobs, scaled)[1]).get("id").asText());
        JsonNode compared = second.get("metrics");
        assertTrue(second.toString(), second.get("promoted").asBoolean()
                && second.get("message").asText().contains(" beats "));
        assertEquals(second.toString(), 60, compared.get("comparedReadings").asInt());
        assertEquals("version 1 through its own (no) pipeline: its own validation loss", rawLoss,
                compared.get("activeComparedLoss").asDouble(), 1e-4 * rawLoss);
        double scaledLoss = compared.get("comparedLoss").asDouble();
        assertEquals(second.toString(), compared.get("validationLoss").asDouble(), scaledLoss, 1e-4 * scaledLoss
                + 1e-6);
        assertTrue(second.toString(), scaledLoss < rawLoss / 100);

        JsonNode third = awaitFinished(jobs, JSON.readTree(post(jobs, raw)[1]).get("id").asText());
        assertTrue(third.toString(), !third.get("promoted").asBoolean()
                && third.get("message").asText().contains("does not beat"));
        assertEquals("version 2 scored through its own z-score pipeline", scaledLoss,
                third.get("metrics").get("activeComparedLoss").asDouble(), 1e-4 * scaledLoss + 1e-6);
        assertEquals("the same seed and readings train the same raw model", rawLoss,
                third.get("metrics").get("comparedLoss").asDouble(), 1e-4 * rawLoss);
        assertEquals(2, JSON.readTree(ModelsApi.curl(models + "/cmp")[1]).get("active").asInt());
    }

    /** 300 readings a second apart, a ~ 100 ± 20 and b ~ -50 ± 5 (far from zero: z-scores help), y = 2a - b + 1. */
    private static void sendMeterReadings(String telemetry, long seed, long startMillis) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            double a = 100 + 20 * random.nextGaussian();
            double b = -50 + 5 * random.nextGaussian();
            Http.Answer sent = Http.postJson(telemetry, String.format(java.util.Locale.ROOT, "{\"ts\": %d,"
                    + " \"values\": {\"a\": %.6f, \"b\": %.6f, \"y\": %.6f}}", startMillis + i * 1000L,
                    a, b, 2 * a - b + 1));
            assertEquals(sent.body(), 200, sent.status());
        }
    }

    /** y = 2a - b + 1 + small noise, 200 rows with a header. */
    private static Path linearCsv() throws Exception {
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("time,a,b,y\n");
        for (int i = 0; i < 200; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            csv.append(i).append(',').append(a).append(',').append(b).append(',')
                    .append(2 * a - b + 1 + 0.01 * random.nextGaussian()).append('\n');
        }
        Path file = Files.createTempFile("linear", ".csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    public void aJobTrainsRegistersAndPromotesAModelThatThenServes() throws Exception {
        String jobs = jobsApi();
        Path csv = linearCsv();
        // progress and the outcome as EventAdmin events, as a dashboard or a route would follow them
        java.util.List<org.osgi.service.event.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.osgi.framework.ServiceRegistration<org.osgi.service.event.EventHandler> listening = bundleContext
                .registerService(org.osgi.service.event.EventHandler.class, events::add, new java.util.Hashtable<>(
                        java.util.Map.of(org.osgi.service.event.EventConstants.EVENT_TOPIC, "io/edgeai/training/*")));
        String[] accepted = post(jobs, "{\"model\": \"lin\", \"architecture\": \"linear\", \"optimizer\": {\"type\":"
                + " \"sgd\", \"learningRate\": 0.1}, \"epochs\": 300, \"batchSize\": 200, \"validationSplit\": 0.2,"
                + " \"earlyStopping\": {\"patience\": 0}, \"autoPromote\": true, \"data\": {\"source\": \"csv\","
                + " \"file\": \"" + csv + "\", \"inputs\": [\"a\", \"b\"], \"targets\": [\"y\"]}}");
        assertEquals(accepted[1], "202", accepted[0]);
        String id = JSON.readTree(accepted[1]).get("id").asText();
        JsonNode done = awaitFinished(jobs, id);
        assertEquals(done.toString(), "SUCCEEDED", done.get("state").asText());
        assertEquals(300, done.get("epoch").asInt());
        assertEquals(1, done.get("version").asInt());
        assertTrue(done.toString(), done.get("promoted").asBoolean());
        assertTrue(done.toString(), done.get("metrics").get("validationLoss").asDouble() < 0.001);
        assertEquals(300, done.get("lossHistory").size());
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> events.stream().anyMatch(e ->
                e.getTopic().equals("io/edgeai/training/FINISHED") && id.equals(e.getProperty("job"))));
        listening.unregister();
        java.util.List<Integer> epochs = events.stream().filter(e -> e.getTopic().equals("io/edgeai/training/PROGRESS")
                && id.equals(e.getProperty("job")) && e.getProperty("epoch") != null)
                .map(e -> (Integer) e.getProperty("epoch")).toList();
        assertEquals("an event after every epoch, in order", 300, epochs.size());
        assertEquals(Integer.valueOf(300), epochs.get(299));
        org.osgi.service.event.Event finished = events.stream().filter(e -> e.getTopic().equals(
                "io/edgeai/training/FINISHED") && id.equals(e.getProperty("job"))).findFirst().orElseThrow();
        assertEquals("SUCCEEDED", finished.getProperty("state"));
        assertEquals(1, finished.getProperty("version"));
        assertEquals("lin", finished.getProperty("model"));

        String models = jobs.replace("/training-jobs", "/models");
        JsonNode version = JSON.readTree(ModelsApi.curl(models + "/lin")[1]).get("versions").get(0);
        assertEquals("djl", version.get("format").asText());
        assertEquals(id, version.get("lineage").get("jobId").asText());
        assertEquals("[\"a\",\"b\"]", version.get("inputs").get(0).get("features").toString());
        JsonNode answer = JSON.readTree(post(models + "/lin/predict", "{\"inputs\": [[1, 1], [2, 0]]}")[1]);
        assertEquals(2.0, answer.get("outputs").get(0).get(0).asDouble(), 0.01);
        assertEquals(5.0, answer.get("outputs").get(1).get(0).asDouble(), 0.01);

        // one epoch at a tiny rate: registered, but it does not beat the active version on held-out rows
        String[] worse = post(jobs, "{\"model\": \"lin\", \"architecture\": \"linear\", \"optimizer\": {\"type\":"
                + " \"sgd\", \"learningRate\": 0.0001}, \"epochs\": 1, \"validationSplit\": 0.2, \"autoPromote\": true,"
                + " \"data\": {\"source\": \"csv\", \"file\": \"" + csv + "\", \"inputs\": [\"a\", \"b\"],"
                + " \"targets\": [\"y\"]}}");
        JsonNode second = awaitFinished(jobs, JSON.readTree(worse[1]).get("id").asText());
        assertEquals(second.toString(), "SUCCEEDED", second.get("state").asText());
        assertEquals(2, second.get("version").asInt());
        assertTrue(second.toString(), !second.get("promoted").asBoolean()
                && second.get("message").asText().contains("does not beat"));
        assertEquals(1, JSON.readTree(ModelsApi.curl(models + "/lin")[1]).get("active").asInt());

        String list = executeCommand("edgeai:job-list");
        assertTrue(list, list.contains(id) && list.contains("SUCCEEDED"));
        String shown = executeCommand("edgeai:job-show " + id);
        assertTrue(shown, shown.contains("300/300 epochs") && shown.contains("registered and promoted version 1"));
    }

    /**
     * A device's recent readings, kept by the gateway, are the data; the job's pipeline is fitted on them and travels
     * with the model: bound to the telemetry route, the version scales each reading as training did.
     */
    @Test
    public void aJobLearnsFromADevicesRecentReadingsThroughAPipelineFittedOnThem() throws Exception {
        String jobs = jobsApi();
        String models = jobs.replace("/training-jobs", "/models");
        String telemetry = models.replace("/models", "/telemetry/meter-1");
        sendMeterReadings(telemetry, 5, 1_764_450_000_000L);
        String[] accepted = post(jobs, "{\"model\": \"hist\", \"architecture\": \"linear\", \"optimizer\":"
                + " {\"type\": \"sgd\", \"learningRate\": 0.1}, \"epochs\": 300, \"batchSize\": 32,"
                + " \"earlyStopping\": {\"patience\": 0}, \"autoPromote\": true,"
                + " \"pipeline\": {\"steps\": [{\"type\": \"zscore\", \"features\": [\"a\", \"b\"]},"
                + " {\"type\": \"jitter\", \"sigma\": 0.001, \"seed\": 2}]},"
                + " \"data\": {\"source\": \"readings\", \"device\": \"meter-1\","
                + " \"from\": \"2025-11-01T00:00:00Z\", \"inputs\": [\"a\", \"b\"], \"targets\": [\"y\"]}}");
        assertEquals(accepted[1], "202", accepted[0]);
        JsonNode done = awaitFinished(jobs, JSON.readTree(accepted[1]).get("id").asText());
        assertEquals(done.toString(), "SUCCEEDED", done.get("state").asText());
        assertEquals(300.0, done.get("metrics").get("rows").asDouble(), 0);
        JsonNode version = JSON.readTree(ModelsApi.curl(models + "/hist")[1]).get("versions").get(0);
        assertEquals("2025-11-29T21:00:00Z", version.get("lineage").get("dataFrom").asText());
        assertEquals("2025-11-29T21:04:59Z", version.get("lineage").get("dataTo").asText());
        Path histFolder = waitForService(ModelRegistry.class, null).directory("hist", 1).orElseThrow();
        assertTrue("the archive carries the fitted pipeline", Files.isRegularFile(histFolder.resolve("pipeline.json")));
        // and the model in the device format: the z-scores' constants as the device's step, the jitter left out, the
        // weights' digest in the header (docs/models.md, "The device format")
        JsonNode device = JSON.readTree(histFolder.resolve("device/device.json").toFile());
        assertEquals("edgeai-device/1", device.get("format").asText());
        assertEquals("[\"a\",\"b\"]", device.get("values").toString());
        assertEquals(device.toString(), 1, device.get("pipeline").size());
        assertEquals("scale", device.get("pipeline").get(0).get("type").asText());
        assertEquals(2, device.get("pipeline").get(0).get("features").get("a").size());
        byte[] weights = Files.readAllBytes(histFolder.resolve("device/weights.bin"));
        assertEquals("3 floats: 2 weights and a bias", 12, weights.length);
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(weights)), device.get("weights").get("sha256").asText());
        // predict hands the version's pipeline the values it was trained on (pipelineInputs [a, b]), as the route
        // does; skipPipeline gives the model its own inputs: z-scores
        assertEquals("[\"a\",\"b\"]", version.get("pipelineInputs").toString());
        JsonNode predicted = JSON.readTree(post(models + "/hist/predict", "{\"inputs\": [[110, -40]]}")[1]);
        assertEquals(predicted.toString(), 2 * 110 + 40 + 1, predicted.get("outputs").get(0).get(0).asDouble(), 0.5);
        JsonNode z = JSON.readTree(post(models + "/hist/predict", "{\"inputs\": [[0, 0]], \"skipPipeline\": true}")[1]);
        double atMeans = z.get("outputs").get(0).get(0).asDouble();
        // the telemetry route hands readings to the version's own pipeline, which scales them as training did
        executeCommand("config:property-set -p io.edgeai.telemetry model hist");
        try {
            // (a timeout names the last answer)
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Http.postJson(telemetry, "{\"values\":"
                    + " {\"a\": 110, \"b\": -40, \"y\": 0}}"), answer -> answer.body().contains("\"model\":\"hist\""));
            JsonNode answer = JSON.readTree(Http.postJson(telemetry, "{\"values\": {\"a\": 110, \"b\": -40,"
                    + " \"y\": 0}}").body());
            assertEquals(answer.toString(), 2 * 110 + 40 + 1, answer.get("score").asDouble(), 0.5);
            // one pipeline, once: the version's own replaced the route's default one for this model
            assertEquals(answer.toString(), "hist-v1", answer.get("pipeline").get("name").asText());
            assertTrue(answer.toString(), Math.abs(answer.get("features").get("a").asDouble()) < 10);
            assertTrue("the model alone at z = 0 answers about the mean of y, " + atMeans, Math.abs(atMeans - 251)
                    < 10);
        } finally {
            executeCommand("config:property-set -p io.edgeai.telemetry model \"\"");
        }
        // a CSV file with a time column, through a window: the model takes the window's features, one row per window
        StringBuilder rows = new StringBuilder("when,x,y\n");
        for (int i = 0; i < 60; i++) {
            rows.append("2026-11-30T00:").append(String.format(java.util.Locale.ROOT, "%02d", i)).append(":00Z,")
                    .append(i % 7).append(',').append(i).append('\n');
        }
        Path timed = Files.createTempFile("timed", ".csv");
        Files.writeString(timed, rows);
        String[] windowed = post(jobs, "{\"model\": \"win\", \"architecture\": \"linear\", \"epochs\": 5,"
                + " \"pipeline\": {\"steps\": [{\"type\": \"window\", \"size\": 3, \"features\": [\"mean\","
                + " \"max\"]}]}, \"data\": {\"source\": \"csv\", \"file\": \"" + timed + "\", \"time\": \"when\","
                + " \"inputs\": [\"x\"], \"targets\": [\"y\"]}}");
        JsonNode win = awaitFinished(jobs, JSON.readTree(windowed[1]).get("id").asText());
        assertEquals(win.toString(), "SUCCEEDED", win.get("state").asText());
        assertEquals("one row per tumbling window of 3", 20.0, win.get("metrics").get("rows").asDouble(), 0);
        JsonNode winVersion = JSON.readTree(ModelsApi.curl(models + "/win")[1]).get("versions").get(0);
        assertEquals("[\"x.mean\",\"x.max\"]", winVersion.get("inputs").get(0).get("features").toString());
        assertEquals("2026-11-30T00:59:00Z", winVersion.get("lineage").get("dataTo").asText());
        Path winFolder = waitForService(ModelRegistry.class, null).directory("win", 1).orElseThrow();
        assertTrue("no device format for a window of readings", Files.notExists(winFolder.resolve("device")));
        assertTrue(JSON.readTree(winFolder.resolve("model.json").toFile()).get("device").get("unsupported").asText()
                .contains("('window') has no device form"));

        // bad data sources are refused by field, before anything runs
        String[] noDevice = post(jobs, "{\"model\": \"hist\", \"architecture\": \"linear\", \"data\":"
                + " {\"source\": \"readings\"}}");
        assertEquals("400", noDevice[0]);
        assertTrue(noDevice[1], noDevice[1].contains("data.device: missing"));
        String[] badLast = post(jobs, "{\"model\": \"hist\", \"architecture\": \"linear\", \"data\":"
                + " {\"source\": \"readings\", \"device\": \"meter-1\", \"last\": \"a week\"}}");
        assertTrue(badLast[1], badLast[1].contains("data.last: 'a week' is not a period"));
        String[] nothing = post(jobs, "{\"model\": \"hist\", \"architecture\": \"linear\", \"data\":"
                + " {\"source\": \"readings\", \"device\": \"nobody\", \"targets\": [\"y\"]}}");
        JsonNode failed = awaitFinished(jobs, JSON.readTree(nothing[1]).get("id").asText());
        assertEquals("FAILED", failed.get("state").asText());
        assertTrue(failed.toString(), failed.get("message").asText().contains("no readings of device 'nobody'"));
    }

    @Test
    public void badSpecsAreRefusedByFieldAndAJobCanBeCancelled() throws Exception {
        String jobs = jobsApi();
        String[] unknown = post(jobs, "{\"model\": \"m\", \"architecture\": \"mlp\", \"optimizer\": {\"type\":"
                + " \"adamw2\"}, \"data\": {\"source\": \"inline\", \"inputs\": [[1]], \"targets\": [[1]]}}");
        assertEquals("400", unknown[0]);
        assertTrue(unknown[1], unknown[1].contains("optimizer: unknown type 'adamw2' (known: sgd, adagrad, rmsprop,"
                + " adam)"));
        String[] noData = post(jobs, "{\"model\": \"m\", \"architecture\": \"mlp\", \"data\": {\"source\": \"csv\","
                + " \"file\": \"nowhere.csv\", \"inputs\": [\"a\"]}}");
        assertEquals("202", noData[0]); // the file is looked for when the job runs
        JsonNode missing = awaitFinished(jobs, JSON.readTree(noData[1]).get("id").asText());
        assertEquals("FAILED", missing.get("state").asText());
        assertTrue(missing.toString(), missing.get("message").asText().startsWith("data.file: no such file"));
        assertEquals("400", post(jobs, "{\"architecture\": \"mlp\"}")[0]);
        assertEquals("400", post(jobs, "{not json")[0]);
        assertEquals("404", ModelsApi.curl(jobs + "/job-nothing")[0]);

        // values far too large for the rate: the loss overflows and the job fails saying what to change
        String[] diverging = post(jobs, "{\"model\": \"wild\", \"architecture\": \"linear\", \"optimizer\":"
                + " {\"type\": \"sgd\", \"learningRate\": 10}, \"validationSplit\": 0, \"data\": {\"source\":"
                + " \"inline\", \"inputs\": [[1000], [2000], [3000]], \"targets\": [[1000], [2000], [3000]]}}");
        JsonNode failed = awaitFinished(jobs, JSON.readTree(diverging[1]).get("id").asText());
        assertEquals("FAILED", failed.get("state").asText());
        assertTrue(failed.toString(), failed.get("message").asText().contains("lower the learning rate"));

        String id = JSON.readTree(post(jobs, longJob("long"))[1]).get("id").asText();
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                JSON.readTree(ModelsApi.curl(jobs + "/" + id)[1]).get("epoch").asInt() > 0);
        assertEquals("202", ModelsApi.curl(jobs + "/" + id, "-X", "DELETE")[0]);
        JsonNode cancelled = awaitFinished(jobs, id);
        assertEquals("CANCELLED", cancelled.get("state").asText());
        assertTrue(cancelled.path("version").isMissingNode());
        assertEquals("409", ModelsApi.curl(jobs + "/" + id, "-X", "DELETE")[0]);
    }

    /**
     * An operator changes the training settings (etc/io.edgeai.training.cfg, here from the console) while a job runs:
     * the job goes on, neither the training service nor the anomaly watch that uses it restarts, and the new limit on
     * waiting jobs is the one the next job meets.
     */
    @Test
    public void newTrainingSettingsApplyWhileAJobRuns() throws Exception {
        String jobs = jobsApi();
        String running = JSON.readTree(post(jobs, longJob("settled"))[1]).get("id").asText();
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                JSON.readTree(ModelsApi.curl(jobs + "/" + running)[1]).get("epoch").asInt() > 0);
        Object service = bundleContext.getServiceReference(TrainingService.class).getProperty("service.id");
        Object watch = bundleContext.getServiceReference(io.edgeai.api.anomaly.AnomalyWatch.class)
                .getProperty("service.id");
        java.util.List<String> waiting = new java.util.ArrayList<>();
        try {
            executeCommand("config:property-set -p io.edgeai.training maxQueuedJobs 1");
            // one job may wait now: the first queues, the next is refused (503, try later) once the change is in
            String[] refused = new String[1];
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
                String[] answer = post(jobs, longJob("waiting"));
                if (answer[0].equals("202")) {
                    waiting.add(JSON.readTree(answer[1]).get("id").asText());
                    return false;
                }
                refused[0] = answer[0] + " " + answer[1];
                return true;
            });
            assertTrue(refused[0], refused[0].startsWith("503") && refused[0].contains("1 jobs are waiting already"));
            assertTrue("the first job after the change waits", !waiting.isEmpty());
            int epoch = JSON.readTree(ModelsApi.curl(jobs + "/" + running)[1]).get("epoch").asInt();
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                    JSON.readTree(ModelsApi.curl(jobs + "/" + running)[1]).get("epoch").asInt() > epoch);
            assertEquals("RUNNING", JSON.readTree(ModelsApi.curl(jobs + "/" + running)[1]).get("state").asText());
            assertEquals("the training service was not restarted", service,
                    bundleContext.getServiceReference(TrainingService.class).getProperty("service.id"));
            assertEquals("the anomaly watch was not restarted", watch,
                    bundleContext.getServiceReference(io.edgeai.api.anomaly.AnomalyWatch.class)
                            .getProperty("service.id"));
        } finally {
            executeCommand("config:property-set -p io.edgeai.training maxQueuedJobs 8");
            for (String id : waiting) {
                ModelsApi.curl(jobs + "/" + id, "-X", "DELETE");
            }
            ModelsApi.curl(jobs + "/" + running, "-X", "DELETE");
        }
        assertEquals("CANCELLED", awaitFinished(jobs, running).get("state").asText());
        for (String id : waiting) {
            assertEquals("CANCELLED", awaitFinished(jobs, id).get("state").asText());
        }
    }

    /** A stop mid-job ends it as interrupted; so does a record a killed gateway left "running". */
    @Test
    public void aStopMidJobLeavesItInterruptedNeverHung() throws Exception {
        String jobs = jobsApi();
        String id = JSON.readTree(post(jobs, longJob("stopped"))[1]).get("id").asText();
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                JSON.readTree(ModelsApi.curl(jobs + "/" + id)[1]).get("epoch").asInt() > 0);
        Bundle training = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "io.edgeai.training".equals(b.getSymbolicName())).findFirst().orElseThrow();
        training.stop();
        Path records = Path.of(System.getProperty("karaf.data"), "edgeai", "training", "jobs");
        Files.writeString(records.resolve("job-killed-1.json"), "{\"id\": \"job-killed-1\", \"model\": \"k\","
                + " \"state\": \"RUNNING\", \"submitted\": \"2026-11-30T06:00:00Z\", \"started\":"
                + " \"2026-11-30T06:00:01Z\", \"epoch\": 12, \"epochs\": 100, \"trainLoss\": [], \"validationLoss\": [],"
                + " \"metrics\": {}, \"message\": \"\", \"version\": 0, \"promoted\": false, \"spec\": {}}");
        training.start();
        JsonNode stopped = awaitFinished(jobsApi(), id);
        assertEquals(stopped.toString(), "INTERRUPTED", stopped.get("state").asText());
        assertTrue(stopped.toString(), stopped.get("message").asText().contains("stopped"));
        JsonNode killed = JSON.readTree(ModelsApi.curl(jobs + "/job-killed-1")[1]);
        assertEquals("INTERRUPTED", killed.get("state").asText());
        assertTrue(killed.toString(), killed.get("message").asText().contains("at epoch 12"));
    }

    /**
     * A route as data source: {@code edgeai:train/{model}} collects the feature vectors it is sent (target y named in
     * the URI) and submits a job with the spec file once 50 rows are in; the exchange that submitted carries the job's
     * id, the body passes unchanged; the model learns y = 3a + 1.
     */
    @Test
    public void aRouteCollectsRowsAndSubmitsATrainingJob() throws Exception {
        String jobs = jobsApi();
        org.apache.camel.CamelContext camel = waitForService(org.apache.camel.CamelContext.class,
                "(camel.context.name=edgeai)");
        Path spec = Files.createTempFile("train", ".json");
        Files.writeString(spec, "{\"architecture\": \"linear\", \"optimizer\": {\"type\": \"sgd\","
                + " \"learningRate\": 0.1}, \"epochs\": 300, \"batchSize\": 50, \"validationSplit\": 0,"
                + " \"earlyStopping\": {\"patience\": 0}, \"autoPromote\": false}");
        org.apache.camel.ProducerTemplate producer = camel.createProducerTemplate();
        String uri = "edgeai:train/camel-lin?spec=" + spec + "&rows=50&targets=y";
        String id = null;
        for (int i = 0; i < 50; i++) {
            float a = (i % 10) / 5f - 1;
            io.edgeai.api.preprocess.Features row = new io.edgeai.api.preprocess.Features("d1",
                    java.time.Instant.now(), java.util.List.of("a", "y"), new float[] {a, 3 * a + 1});
            org.apache.camel.Exchange sent = producer.send(uri, e -> e.getMessage().setBody(row));
            assertTrue(sent.getException() == null);
            assertTrue(sent.getMessage().getBody() == row);
            String header = sent.getMessage().getHeader("EdgeAiTrainingJob", String.class);
            assertEquals("job submitted with the 50th row only", i == 49, header != null);
            id = header == null ? id : header;
        }
        JsonNode done = awaitFinished(jobs, id);
        assertEquals(done.toString(), "SUCCEEDED", done.get("state").asText());
        assertEquals(50, done.get("metrics").get("rows").asInt());
        String models = jobs.replace("/training-jobs", "/models");
        assertEquals("200", ModelsApi.curl(models + "/camel-lin/versions/1/promote", "-X", "POST")[0]);
        JsonNode answer = JSON.readTree(post(models + "/camel-lin/predict", "{\"inputs\": [[2]]}")[1]);
        assertEquals(7.0, answer.get("outputs").get(0).get(0).asDouble(), 0.01);
        producer.stop();
    }

    /** Many epochs over inline rows: runs until cancelled or stopped. */
    private static String longJob(String model) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            rows.append(i == 0 ? "" : ",").append("[").append(i % 8).append(",").append(i % 5).append("]");
        }
        return "{\"model\": \"" + model + "\", \"architecture\": {\"name\": \"mlp\", \"hidden\": [16]}, \"epochs\":"
                + " 1000000, \"batchSize\": 8, \"earlyStopping\": {\"patience\": 0}, \"data\": {\"source\": \"inline\","
                + " \"inputs\": [" + rows + "], \"targets\": [" + rows.toString().replaceAll("\\[(\\d+),\\d+\\]",
                "[$1]") + "]}}";
    }
}
