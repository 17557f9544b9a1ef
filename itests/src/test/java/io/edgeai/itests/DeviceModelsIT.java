package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.model.ModelRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * Devices fetch the models the gateway trains over CoAP with libcoap's {@code coap-client-notls}: the notice of the
 * active version (observed: a promotion is notified), its files in the device format, block-wise in 64-byte blocks,
 * each as the notice describes it (size, SHA-256), and an ETag that saves a device the download it already has.
 */
public class DeviceModelsIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void devicesFetchAndObserveTheActiveVersionInTheDeviceFormat() throws Exception {
        waitForService(ModelRegistry.class, null);
        String http = "http://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http");
        String host = "coap://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=coap)").endpoint(),
                "coap");
        String coap = host + "/models/";
        ModelsApi.trainLinear(http, "dev");
        JsonNode first = JSON.readTree(get(coap + "dev"));
        assertEquals(first.toString(), 1, first.get("version").asInt());
        assertEquals("edgeai-device/1", first.get("format").asText());
        assertTrue("trained on the gateway: signed with the gateway's key", first.get("signed").asBoolean());
        String model = ModelsApi.curl(http + "/api/v1/models/dev")[1];
        assertTrue(model, model.contains("\"signer\":\"gateway (sha256:"));
        Path gatewayKey = Path.of(System.getProperty("karaf.etc"), "edgeai", "trust", "gateway.pem");
        assertTrue("the gateway's public key, for the devices", Files.isRegularFile(gatewayKey));

        Path observed = Files.createTempFile("observe", ".out");
        Process observer = new ProcessBuilder("coap-client-notls", "-B", "180", "-s", "180", coap + "dev")
                .redirectErrorStream(true).redirectOutput(observed.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Files.readString(observed)
                    .contains("\"version\":1"));
            // a wider model, promoted by hand: its observers are told
            String[] job = ModelsApi.curl(http + "/api/v1/training-jobs", "-X", "POST", "-H",
                    "Content-Type: application/json", "--data-binary", "{\"model\": \"dev\", \"architecture\":"
                    + " {\"name\": \"mlp\", \"hidden\": [128, 128]}, \"epochs\": 2, \"data\": {\"source\": \"csv\","
                    + " \"file\": \"" + csv() + "\", \"inputs\": [\"a\", \"b\"], \"targets\": [\"y\"]}}");
            assertEquals(job[1], "202", job[0]);
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> waitForService(ModelRegistry.class, null)
                    .versions("dev").size() == 2);
            String[] promoted = ModelsApi.curl(http + "/api/v1/models/dev/versions/2/promote", "-X", "POST");
            assertEquals(promoted[1], "200", promoted[0]);
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Files.readString(observed)
                    .contains("\"version\":2"));
        } finally {
            observer.destroy();
            assertTrue(observer.waitFor(30, TimeUnit.SECONDS));
            Files.deleteIfExists(observed);
        }

        JsonNode notice = JSON.readTree(get(coap + "dev"));
        assertEquals(2, notice.get("version").asInt());
        Path folder = Files.createTempDirectory("device");
        try {
            for (JsonNode file : notice.get("files")) {
                Path into = folder.resolve(file.get("name").asText());
                // 64-byte blocks: the 128x128 model's weights (68,100 bytes, over 64 KiB) come in 1,065 of them
                run("-b", "64", "-o", into.toString(), host + file.get("fetch").asText());
                byte[] content = Files.readAllBytes(into);
                assertEquals(file.toString(), file.get("size").asLong(), content.length);
                assertEquals(file.toString(), file.get("sha256").asText(), sha256(content));
            }
            byte[] weights = Files.readAllBytes(folder.resolve("weights.bin"));
            assertEquals("(2x128+128) + (128x128+128) + (128+1) floats", 17025 * 4, weights.length);
            JsonNode header = JSON.readTree(folder.resolve("device.json").toFile());
            assertEquals(sha256(weights), header.get("weights").get("sha256").asText());
            // a device that has this content sends its ETag and gets 2.03 without it
            String etag = "0x" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights), 0,
                    8);
            Path again = folder.resolve("again.bin");
            String valid = run("-O", "4," + etag, "-o", again.toString(), coap + "dev/weights.bin");
            assertTrue("2.03 Valid, no content: " + valid, Files.notExists(again) || Files.size(again) == 0);
            String changed = run("-O", "4,0x0011223344556677", "-o", again.toString(), coap + "dev/weights.bin");
            assertArrayEquals("another ETag: the content again, " + changed, weights, Files.readAllBytes(again));
        } finally {
            try (var files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(folder);
        }

        // the reference device (examples/device, Python's standard library and coap-client, no ML framework) fetches
        // the model block-wise, checks it and computes what the gateway answers
        JsonNode served = JSON.readTree(ModelsApi.curl(http + "/api/v1/models/dev/predict", "-X", "POST", "-H",
                "Content-Type: application/json", "--data-binary", "{\"inputs\": [[0.5, -1]]}")[1]);
        String[] device = referenceDevice(host, "dev", "a=0.5", "b=-1", "--trust", gatewayKey.toString());
        assertEquals(device[1], "0", device[0]);
        JsonNode computed = JSON.readTree(device[1]);
        assertEquals(2, computed.get("version").asInt());
        double expected = served.get("outputs").get(0).get(0).asDouble();
        assertEquals(device[1] + " vs " + served, expected, computed.get("outputs").get(0).asDouble(),
                1e-5 * Math.max(1, Math.abs(expected)));
        String[] missing = referenceDevice(host, "dev", "a=0.5");
        assertTrue(missing[1], missing[0].equals("5") && missing[1].contains("no value for b"));
        String[] none = referenceDevice(host, "nothing-here", "a=1");
        assertTrue(none[1], none[0].equals("3") && none[1].contains("4.04"));
        Path otherKey = Files.createTempFile("other", ".pem");
        try {
            Process made = new ProcessBuilder("sh", "-c", "openssl genpkey -algorithm ed25519 | openssl pkey -pubout -out "
                    + otherKey).redirectErrorStream(true).start();
            assertTrue(made.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, made.exitValue());
            String[] forged = referenceDevice(host, "dev", "a=0.5", "b=-1", "--trust", otherKey.toString());
            assertTrue(forged[1], forged[0].equals("4") && forged[1].contains("bad signature"));
        } finally {
            Files.deleteIfExists(otherKey);
        }

        String unknown = run(coap + "nothing-here");
        assertTrue(unknown, unknown.contains("4.04") && unknown.contains("has no active version in the device format"));
        String noFile = run(coap + "dev/model.pt");
        assertTrue(noFile, noFile.contains("4.04") && noFile.contains("has no file 'model.pt'"));

        // MQTT: a device account subscribing to edgeai/models/dev gets the retained notice of the active version at
        // once (the same JSON as CoAP's), and the next one when it changes; it may not write there
        Mosquitto subscriber = new Mosquitto(port(waitForService(Connector.class, "(connector.name=mqtt)").endpoint(),
                "mqtt"), "dm-device", "dm-secret");
        Mosquitto.Result retained = subscriber.sub("-V", "mqttv5", "-q", "1", "-t", "edgeai/models/dev", "-C", "1", "-W",
                "30", "-F", "%r %p");
        assertEquals(retained.output(), 0, retained.exit());
        assertTrue(retained.output(), retained.output().startsWith("1 {"));
        JsonNode mqttNotice = JSON.readTree(retained.output().substring(2));
        assertEquals(JSON.readTree(get(coap + "dev")), mqttNotice);
        assertEquals(2, mqttNotice.get("version").asInt());
        Path live = Files.createTempFile("notices", ".out");
        Process listening = subscriber.start(live, "-V", "mqttv5", "-q", "1", "-t", "edgeai/models/dev", "-C", "2",
                "-W", "60", "-F", "%r %p");
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Files.readString(live).startsWith("1 "));
            assertEquals("200", ModelsApi.curl(http + "/api/v1/models/dev/rollback", "-X", "POST")[0]);
            assertTrue(listening.waitFor(60, TimeUnit.SECONDS));
            List<String> lines = Files.readAllLines(live);
            assertEquals(lines.toString(), 2, lines.size());
            assertTrue(lines.get(1), lines.get(1).startsWith("0 {") && lines.get(1).contains("\"version\":1"));
        } finally {
            listening.destroy();
            Files.deleteIfExists(live);
        }
        Mosquitto.Result forged = subscriber.pub("-V", "mqttv5", "-q", "1", "-t", "edgeai/models/dev", "-r", "-m",
                "{\"version\": 99}");
        assertTrue(forged.output(), forged.output().contains("Not authorized"));
        Mosquitto.Result still = subscriber.sub("-V", "mqttv5", "-t", "edgeai/models/dev", "-C", "1", "-W", "30", "-F",
                "%r %p");
        assertTrue(still.output(), still.output().startsWith("1 {") && still.output().contains("\"version\":1"));
    }

    @Override
    protected org.ops4j.pax.exam.Option[] additionalOptions() {
        return new org.ops4j.pax.exam.Option[] {org.ops4j.pax.exam.karaf.options.KarafDistributionOption
                .editConfigurationFilePut("etc/users.properties", "dm-device", "dm-secret,edgeai-device")};
    }

    /** Runs examples/device/edgeai_device.py: its exit code and what it printed. */
    private static String[] referenceDevice(String gateway, String model, String... args) throws Exception {
        Path script = Path.of(System.getProperty("edgeai.docs")).getParent()
                .resolve("examples/device/edgeai_device.py");
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), gateway, model));
        command.addAll(List.of(args));
        Process device = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(device.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue("the reference device did not finish", device.waitFor(120, TimeUnit.SECONDS));
        return new String[] {String.valueOf(device.exitValue()), out};
    }

    private static String csv() throws Exception {
        StringBuilder rows = new StringBuilder("a,b,y\n");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 300; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            rows.append(a).append(',').append(b).append(',').append(Math.sin(a) + b).append('\n');
        }
        Path file = Files.createTempFile("device", ".csv");
        file.toFile().deleteOnExit();
        Files.writeString(file, rows);
        return file.toString();
    }

    /** coap-client's answer to a GET: the payload (and any error it printed). */
    private static String get(String uri) throws Exception {
        return run(uri);
    }

    private static String run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("coap-client-notls", "-B", "30"));
        command.addAll(List.of(args));
        Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("coap-client did not finish", client.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
