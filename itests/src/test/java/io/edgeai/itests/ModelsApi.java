package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The models API (/api/v1/models) with curl, and archives of models made by PyTorch, for the tests that serve them. */
final class ModelsApi {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private ModelsApi() {
    }

    /** The models API's base URL on this HTTP port, once it answers. */
    static String base(String httpPort) {
        return answering("http://127.0.0.1:" + httpPort + "/api/v1/models");
    }

    /**
     * The URL, once a GET of it answers 200: the admin API (bundle edgeai-rest) comes up on its own, beside the
     * connectors (until then its paths answer 503 with Retry-After).
     */
    static String answering(String url) {
        await().atMost(Duration.ofSeconds(EdgeAiTestSupport.TIMEOUT_SECONDS)).until(() -> {
            try {
                return curl(url)[0].equals("200");
            } catch (IOException e) {
                return false;
            }
        });
        return url;
    }

    /** curl's status code and body. */
    static String[] curl(String url, String... args) throws IOException {
        Path body = Files.createTempFile("curl", ".body");
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", body.toString(), "-w", "%{http_code}",
                "--max-time", "120"));
        command.addAll(List.of(args));
        command.add(url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String code = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            assertTrue(process.waitFor(150, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        String[] answer = {code, Files.readString(body)};
        Files.delete(body);
        return answer;
    }

    static String[] upload(String api, String model, Path archive) throws IOException {
        return curl(api + "/" + model + "/versions", "-X", "POST", "-H", "Content-Type: application/zip",
                "--data-binary", "@" + archive);
    }

    /** Runs a {@link TorchScript} program (folder first, then {@code args}) and zips its model.pt with model.json. */
    static Path archive(String program, String modelJson, String... args) throws Exception {
        Path folder = Files.createTempDirectory("model");
        Files.writeString(folder.resolve("inputs.txt"), "");
        List<String> all = new ArrayList<>(List.of(folder.toString()));
        all.addAll(List.of(args));
        TorchScript.python(program, all.toArray(new String[0]));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.json", modelJson.getBytes(StandardCharsets.UTF_8));
        files.put("model.pt", Files.readAllBytes(folder.resolve("model.pt")));
        return TorchScript.zip(folder.resolve("model.zip"), files);
    }

    /**
     * Trains a linear model y = 2a - b + 1 (2,000 rows of standard-normal a and b) with a job of the gateway, and
     * waits until it is registered and promoted (the first version of the model).
     *
     * @param http the gateway's HTTP base, e.g. {@code http://127.0.0.1:8181}
     * @return the job's id
     */
    static String trainLinear(String http, String model) throws Exception {
        java.util.Random random = new java.util.Random(17);
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 2000; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            csv.append(a).append(',').append(b).append(',').append(2 * a - b + 1).append('\n');
        }
        Path file = Files.createTempFile("linear", ".csv");
        Files.writeString(file, csv);
        String[] job = curl(answering(http + "/api/v1/training-jobs"), "-X", "POST", "-H", "Content-Type: application/json",
                "--data-binary", "{\"model\": \"" + model + "\", \"architecture\": \"linear\", \"optimizer\":"
                + " {\"type\": \"sgd\", \"learningRate\": 0.1}, \"epochs\": 20, \"autoPromote\": true, \"data\":"
                + " {\"source\": \"csv\", \"file\": \"" + file + "\", \"inputs\": [\"a\", \"b\"], \"targets\":"
                + " [\"y\"]}}");
        assertTrue(job[1], "202".equals(job[0]));
        String id = JSON.readTree(job[1]).get("id").asText();
        com.fasterxml.jackson.databind.JsonNode[] done = new com.fasterxml.jackson.databind.JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            done[0] = JSON.readTree(curl(http + "/api/v1/training-jobs/" + id)[1]);
            return !List.of("QUEUED", "RUNNING").contains(done[0].path("state").asText());
        });
        assertTrue(done[0].toString(), done[0].path("promoted").asBoolean());
        return id;
    }
}
