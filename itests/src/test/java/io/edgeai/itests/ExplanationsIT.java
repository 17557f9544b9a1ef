package io.edgeai.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.training.TrainingService;
import org.junit.Test;

/**
 * Explanations with predictions in the booted assembly, with curl: a model the gateway trains (y = 2a - b + 1, DJL)
 * explained by Integrated Gradients, attributions named by its inputs, complete to 1e-3 and equal to the weights
 * times the distance from the training rows' mean; a TorchScript model (y = sum(x) + 1.5) explained by occlusion;
 * a bad flag refused; in a route, edgeai:infer?explain=true gives the same explanation in a header. Unexplained answers
 * are as they were.
 */
public class ExplanationsIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Integrated Gradients from the device format in plain PyTorch (python3-torch): the layers and weights of
     * device/device.json and device/weights.bin, autograd at the same 50 Gauss-Legendre nodes (numpy's), float64.
     */
    private static final String IG_IN_TORCH = """
            import json, struct, sys, numpy, torch
            folder, x, b = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
            header = json.load(open(folder + "/device.json"))
            blob = open(folder + "/weights.bin", "rb").read()
            w = torch.tensor(struct.unpack("<%df" % (len(blob) // 4), blob), dtype=torch.float64)
            act = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "identity": lambda t: t}
            def f(z):
                for layer in header["layers"]:
                    n, m = layer["out"], layer["in"]
                    weights = w[layer["weights"]:layer["weights"] + n * m].reshape(n, m)
                    bias = w[layer["bias"]:layer["bias"] + n]
                    z = act[layer["activation"]](z @ weights.T + bias)
                return z[:, 0]
            x = torch.tensor(x, dtype=torch.float64)
            b = torch.tensor(b, dtype=torch.float64)
            nodes, weights = numpy.polynomial.legendre.leggauss(50)
            alphas = torch.tensor((nodes + 1) / 2, dtype=torch.float64)
            points = (b + alphas[:, None] * (x - b)).requires_grad_(True)
            f(points).sum().backward()
            integral = (torch.tensor(weights / 2, dtype=torch.float64)[:, None] * points.grad).sum(0)
            print(json.dumps(((x - b) * integral).tolist()))
            """;

    @Test
    public void integratedGradientsAgreeWithPlainPyTorchOnTheExportedModel() throws Exception {
        waitForService(TrainingService.class, null);
        String http = "http://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http");
        StringBuilder inputs = new StringBuilder();
        StringBuilder targets = new StringBuilder();
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 400; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            double c = random.nextGaussian();
            inputs.append(i == 0 ? "" : ",").append('[').append(a).append(',').append(b).append(',').append(c)
                    .append(']');
            targets.append(i == 0 ? "" : ",").append('[').append(Math.sin(2 * a) + b * c).append(']');
        }
        String[] job = ModelsApi.curl(http + "/api/v1/training-jobs", "-X", "POST", "-H",
                "Content-Type: application/json", "--data-binary", "{\"model\": \"curvy\", \"architecture\":"
                + " {\"name\": \"mlp\", \"hidden\": [16, 8], \"activation\": \"tanh\"}, \"epochs\": 40,"
                + " \"validationSplit\": 0, \"data\": {\"source\": \"inline\", \"inputs\": [" + inputs
                + "], \"targets\": [" + targets + "]}}");
        assertEquals(job[1], "202", job[0]);
        String id = JSON.readTree(job[1]).get("id").asText();
        JsonNode[] done = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120)).until(() -> {
            done[0] = JSON.readTree(ModelsApi.curl(http + "/api/v1/training-jobs/" + id)[1]);
            return !java.util.List.of("QUEUED", "RUNNING").contains(done[0].path("state").asText());
        });
        assertEquals(done[0].toString(), "SUCCEEDED", done[0].path("state").asText());
        String api = http + "/api/v1/models";
        assertEquals("200", ModelsApi.curl(api + "/curvy/versions/1/promote", "-X", "POST")[0]);

        String[] explained = ModelsApi.curl(api + "/curvy/predict?explain=true", "-H",
                "Content-Type: application/json", "--data-binary", "{\"inputs\": [[0.9, -1.2, 0.4]]}");
        assertEquals(explained[1], "200", explained[0]);
        JsonNode e = JSON.readTree(explained[1]).get("explanations").get(0);
        assertTrue(e.toString(), e.get("completenessError").asDouble() < 1e-3);

        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("curvy");
        try {
            compareWithPyTorch(api, folder, e);
        } finally {
            try (var files = java.nio.file.Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The attributions computed from the archive's device format in plain PyTorch, compared with the gateway's. */
    private static void compareWithPyTorch(String api, java.nio.file.Path folder, JsonNode e) throws Exception {
        java.nio.file.Path zip = folder.resolve("curvy.zip");
        assertEquals("200", Curl.run("-o", zip.toString(), "-w", "%{http_code}", api + "/curvy/archive"));
        try (java.util.zip.ZipFile archive = new java.util.zip.ZipFile(zip.toFile())) {
            for (String name : java.util.List.of("device.json", "weights.bin")) {
                java.nio.file.Files.write(folder.resolve(name), archive.getInputStream(archive.getEntry("device/"
                        + name)).readAllBytes());
            }
        }
        JsonNode baseline = e.get("baseline");
        String b = "[" + baseline.get("x0").asDouble() + "," + baseline.get("x1").asDouble() + ","
                + baseline.get("x2").asDouble() + "]";
        JsonNode torch = JSON.readTree(TorchScript.python(IG_IN_TORCH, folder.toString(), "[0.9, -1.2, 0.4]", b)
                .trim());
        for (int i = 0; i < 3; i++) {
            double gateway = e.get("attributions").get("x" + i).asDouble();
            assertEquals("input " + i + ": gateway " + e + ", PyTorch " + torch, torch.get(i).asDouble(), gateway,
                    1e-4 * Math.max(1, Math.abs(gateway)));
        }
        System.out.printf("explanations: IG of curvy at [0.9, -1.2, 0.4]: gateway %s, PyTorch %s, completeness"
                + " error %.2e%n", e.get("attributions"), torch, e.get("completenessError").asDouble());
    }

    @Test
    public void answersComeWithTheirExplanationsOnRequest() throws Exception {
        waitForService(TrainingService.class, null);
        String http = "http://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http");
        ModelsApi.trainLinear(http, "lin");
        String api = ModelsApi.base(port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http"));

        String[] plain = ModelsApi.curl(api + "/lin/predict", "-H", "Content-Type: application/json",
                "--data-binary", "{\"inputs\": [[1.5, -0.5]]}");
        assertEquals(plain[1], "200", plain[0]);
        assertTrue(plain[1], !plain[1].contains("explanations"));

        String[] explained = ModelsApi.curl(api + "/lin/predict?explain=true", "-H",
                "Content-Type: application/json", "--data-binary", "{\"inputs\": [[1.5, -0.5], [0.2, 0.3]]}");
        assertEquals(explained[1], "200", explained[0]);
        JsonNode answer = JSON.readTree(explained[1]);
        assertEquals(2, answer.get("explanations").size());
        for (int row = 0; row < 2; row++) {
            JsonNode e = answer.get("explanations").get(row);
            assertEquals(e.toString(), "integrated-gradients", e.get("method").asText());
            assertTrue(e.toString(), e.get("completenessError").asDouble() < 1e-3);
            double a = row == 0 ? 1.5 : 0.2;
            double b = row == 0 ? -0.5 : 0.3;
            // the training rows' means are ~0 (standard normal a and b): a linear model's attributions are its
            // weights (2 and -1, as trained) times the distance from them
            JsonNode attributions = e.get("attributions");
            assertEquals(e.toString(), 2 * (a - e.get("baseline").get("a").asDouble()),
                    attributions.get("a").asDouble(), 0.05 * Math.abs(a) + 0.02);
            assertEquals(e.toString(), -(b - e.get("baseline").get("b").asDouble()), attributions.get("b").asDouble(),
                    0.05 * Math.abs(b) + 0.02);
            double sum = attributions.get("a").asDouble() + attributions.get("b").asDouble();
            assertEquals("complete", e.get("value").asDouble() - e.get("baselineValue").asDouble(), sum, 1e-3
                    * Math.max(1, Math.abs(sum)));
            assertEquals("the explained value is the answer", answer.get("outputs").get(row).get(0).asDouble(),
                    e.get("value").asDouble(), 1e-5);
        }

        // in a route: edgeai:infer?explain=true puts the same explanation in a header, for rows, a feature vector
        // and a reading alike; without the option, no header
        org.apache.camel.CamelContext camel = waitForService(org.apache.camel.CamelContext.class,
                "(camel.context.name=edgeai)");
        org.apache.camel.ProducerTemplate producer = camel.createProducerTemplate();
        try {
            JsonNode first = answer.get("explanations").get(0).get("attributions");
            Object[] bodies = {new float[] {1.5f, -0.5f}, new io.edgeai.api.preprocess.Features("d1",
                    java.time.Instant.now(), java.util.List.of("b", "a"), new float[] {-0.5f, 1.5f}),
                    "{\"values\": {\"a\": 1.5, \"b\": -0.5}}"};
            for (Object body : bodies) {
                org.apache.camel.Exchange sent = producer.send("edgeai:infer/lin?explain=true", e -> {
                    e.getMessage().setBody(body);
                    e.getMessage().setHeader(io.edgeai.api.routes.EdgeAiHeaders.DEVICE_ID, "d1");
                });
                assertTrue(String.valueOf(sent.getException()), sent.getException() == null);
                java.util.List<?> why = sent.getMessage().getHeader(io.edgeai.api.routes.EdgeAiHeaders.EXPLANATIONS,
                        java.util.List.class);
                assertEquals(body.getClass().getSimpleName(), 1, why.size());
                io.edgeai.api.inference.Explanation e = (io.edgeai.api.inference.Explanation) why.get(0);
                assertEquals(e.byInput().toString(), "integrated-gradients", e.method());
                assertEquals(java.util.List.of("a", "b"), e.inputs());
                assertEquals(e.byInput().toString(), first.get("a").asDouble(), e.byInput().get("a"), 1e-4);
                assertEquals(e.byInput().toString(), first.get("b").asDouble(), e.byInput().get("b"), 1e-4);
                assertEquals(answer.get("outputs").get(0).get(0).asDouble(),
                        ((io.edgeai.api.inference.Prediction) sent.getMessage().getBody()).outputs()[0][0], 1e-5);
            }
            org.apache.camel.Exchange plainly = producer.send("edgeai:infer/lin", e -> e.getMessage().setBody(
                    new float[] {1.5f, -0.5f}));
            assertTrue(plainly.getMessage().getHeader(io.edgeai.api.routes.EdgeAiHeaders.EXPLANATIONS) == null);
        } finally {
            producer.stop();
        }

        String[] uploaded = ModelsApi.upload(api, "adder", ModelsApi.archive(TorchScript.SUM_PLUS,
                TorchScript.modelJson(4, 1), "1.5"));
        assertEquals(uploaded[1], "201", uploaded[0]);
        assertEquals("200", ModelsApi.curl(api + "/adder/versions/1/promote", "-X", "POST")[0]);
        String[] occluded = ModelsApi.curl(api + "/adder/predict", "-H", "Content-Type: application/json",
                "--data-binary", "{\"inputs\": [[1, 2, 3, 4]], \"explain\": true}");
        assertEquals(occluded[1], "200", occluded[0]);
        JsonNode o = JSON.readTree(occluded[1]).get("explanations").get(0);
        assertEquals(o.toString(), "occlusion", o.get("method").asText());
        for (int i = 0; i < 4; i++) {
            // no reference data: a zero baseline; each input's share of the sum is the input itself
            assertEquals(o.toString(), i + 1, o.get("attributions").get("x" + i).asDouble(), 1e-5);
        }
        assertEquals(11.5, o.get("value").asDouble(), 1e-5);
        assertEquals(1.5, o.get("baselineValue").asDouble(), 1e-5);

        // at the console, largest first
        String console = executeCommand("edgeai:predict --explain adder 1 2 3 4");
        assertTrue(console, console.contains("why (occlusion, output 0: 11.5000 against 1.50000 at the baseline)"));
        assertTrue(console, console.indexOf("x3") < console.indexOf("x0") && console.contains("+4.00000"));

        // over CoAP too (libcoap's client): the same explanation in the 2.05 answer
        String coap = "coap://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=coap)").endpoint(),
                "coap");
        String printed = CoapClient.postJson(coap + "/models/adder/predict?explain=true", "{\"inputs\": [[1, 2, 3,"
                + " 4]]}");
        JsonNode overCoap = JSON.readTree(printed.substring(printed.indexOf('{'))).get("explanations").get(0);
        assertEquals(printed, o.get("attributions"), overCoap.get("attributions"));
        String badOverCoap = CoapClient.postJson(coap + "/models/adder/predict?explain=yes", "{\"inputs\": [[1, 2,"
                + " 3, 4]]}", "-v", "6");
        assertTrue("a bad flag is 4.00 over CoAP too: " + badOverCoap, badOverCoap.contains("4.00")
                && badOverCoap.contains("explain must be true or false"));

        String[] bad = ModelsApi.curl(api + "/adder/predict?explain=yes", "-H", "Content-Type: application/json",
                "--data-binary", "{\"inputs\": [[1, 2, 3, 4]]}");
        assertEquals(bad[1], "400", bad[0]);
        assertTrue(bad[1], bad[1].contains("explain must be true or false"));
    }
}
