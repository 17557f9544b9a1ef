package io.edgeai.models.internal;

import static io.edgeai.api.model.ModelRegistry.Source.UPLOAD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelHost;
import io.edgeai.api.model.ModelState;
import io.edgeai.api.model.ModelVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Archive checks with their reasons, and version states through register / promote / rollback, against a host that
 * records what it was asked (the real one, DJL, is exercised by the integration tests).
 */
public class RegistryTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final List<String> hostCalls = new ArrayList<>();
    private String failPrepare;
    private Path root;
    private Registry registry;
    private final List<String> events = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();

    private final ModelHost host = new ModelHost() {
        @Override
        public void check(ModelVersion version, Path directory) throws InvalidModelException {
            hostCalls.add("check " + version.model() + " " + version.version());
            if (Files.exists(directory.resolve("fail-trial"))) {
                throw new InvalidModelException("trial forward pass failed: shape mismatch");
            }
        }

        @Override
        public Activation prepare(ModelVersion version, Path directory) throws InvalidModelException {
            hostCalls.add("prepare " + version.version());
            if (String.valueOf(version.version()).equals(failPrepare)) {
                throw new InvalidModelException("cannot load");
            }
            return new Activation() {
                @Override
                public void commit() {
                    hostCalls.add("commit " + version.version());
                }

                @Override
                public void abort() {
                    hostCalls.add("abort " + version.version());
                }
            };
        }

        @Override
        public void remove(String model) {
            hostCalls.add("remove " + model);
        }
    };

    @Before
    public void setUp() throws IOException {
        root = temp.newFolder("models").toPath();
        registry = newRegistry();
    }

    private Registry newRegistry() {
        return new Registry(new ModelStore(root), new ModelArchive.Limits(10_000_000, 20_000_000, 100),
                new Registry.SignaturePolicy(new TrustStore(temp.getRoot().toPath().resolve("trust")), false, true),
                () -> host, (topic, props) -> events.add(topic.substring(topic.lastIndexOf('/') + 1) + " "
                + props.get("version")), refused::add);
    }

    static final String MODEL_JSON = "{\"format\":\"torchscript\",\"inputs\":[{\"name\":\"x\",\"shape\":[-1,4]}],"
            + "\"outputs\":[{\"name\":\"y\",\"shape\":[-1,1]}],\"metrics\":{\"mse\":0.5}}";

    private Path zip(Map<String, byte[]> entries) throws IOException {
        return zip(Files.createTempFile(temp.getRoot().toPath(), "archive", ".zip"), entries);
    }

    /** Zips files (name to content) into {@code file}. */
    static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private Path archive(String modelJson) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("model.json", modelJson.getBytes(StandardCharsets.UTF_8));
        entries.put("model.pt", new byte[] {1, 2, 3});
        return zip(entries);
    }

    private String refusal(Path archive) {
        return assertThrows(InvalidModelException.class, () -> registry.register("m", archive, null, UPLOAD))
                .getMessage();
    }

    @Test
    public void badArchivesAreRefusedWithTheReasonAndChangeNothing() throws Exception {
        Path notZip = temp.newFile("x.zip").toPath();
        Files.writeString(notZip, "this is not a zip");
        assertTrue(refusal(notZip), refusal(notZip).startsWith("not a zip archive"));
        assertTrue(refusal(zip(Map.of("model.pt", new byte[1]))).startsWith("missing model.json"));
        Map<String, byte[]> withRecord = new LinkedHashMap<>(Map.of("model.json", MODEL_JSON.getBytes(
                StandardCharsets.UTF_8), "model.pt", new byte[1], "version.json", new byte[1]));
        assertTrue(refusal(zip(withRecord)), refusal(zip(withRecord)).startsWith("entry 'version.json': version.json"
                + " is the name the registry keeps its record of a version under"));
        assertTrue(refused.contains("invalid-archive"));
        assertTrue(refusal(archive("{\"format\":\"onnx\"}")).startsWith("model.json format 'onnx' is not supported"));
        assertTrue(refusal(archive(MODEL_JSON.replace("[-1,4]", "[4]"))).startsWith(
                "model.json inputs[0].shape must be [-1, n]"));
        assertTrue(refusal(archive("{not json")).startsWith("model.json is not valid JSON"));
        assertTrue(refusal(zip(Map.of("model.json", MODEL_JSON.getBytes(StandardCharsets.UTF_8))))
                .startsWith("missing model.pt"));
        assertTrue(refusal(archive(MODEL_JSON.replace("\"metrics\"", "\"sha256\":{\"model.pt\":\"00\"},\"m\"")))
                .startsWith("checksum mismatch for model.pt"));
        assertTrue(refusal(zip(Map.of("../evil/model.json", new byte[1]))).contains("outside the model's folder"));
        Map<String, byte[]> trial = new LinkedHashMap<>();
        trial.put("model.json", MODEL_JSON.getBytes(StandardCharsets.UTF_8));
        trial.put("model.pt", new byte[1]);
        trial.put("fail-trial", new byte[1]);
        assertEquals("trial forward pass failed: shape mismatch", refusal(zip(trial)));
        // a corrupt entry: flip a byte inside model.json's compressed data (after the 30-byte local header and the
        // 10-byte name of the first entry), as a broken download would
        byte[] bytes = Files.readAllBytes(archive(MODEL_JSON));
        Path corrupt = temp.newFile("corrupt.zip").toPath();
        bytes[30 + "model.json".length() + 5] ^= 0x55;
        Files.write(corrupt, bytes);
        String corruptReason = refusal(corrupt);
        assertTrue(corruptReason, corruptReason.startsWith("corrupt entry 'model.json'")
                || corruptReason.startsWith("not a zip archive"));

        assertEquals(List.of(), registry.models());
        assertEquals(List.of(), registry.versions("m"));
        // a refusal changes nothing: no staging folder, not even the model's own folder is left behind
        assertFalse("nothing left behind", Files.exists(root.resolve("m")));
    }

    @Test
    public void registerPromoteRollbackAcrossARestart() throws Exception {
        ModelVersion v1 = registry.register("m", archive(MODEL_JSON), null, UPLOAD);
        assertEquals(1, v1.version());
        assertEquals(ModelState.STAGED, v1.state());
        assertEquals(4, v1.spec().inputSize());
        assertEquals(0.5, v1.metrics().get("mse"), 0);
        assertEquals(64, v1.sha256().length());
        ModelVersion v2 = registry.register("m", archive(MODEL_JSON), null, UPLOAD);
        assertEquals(2, v2.version());

        registry.promote("m", 1);
        registry.promote("m", 2);
        assertEquals(List.of(ModelState.RETIRED, ModelState.ACTIVE),
                registry.versions("m").stream().map(ModelVersion::state).toList());
        assertEquals(List.of("check m 1", "check m 2", "prepare 1", "commit 1", "prepare 2", "commit 2"), hostCalls);

        // a version that cannot be loaded is not promoted: version 2 stays active, nothing was switched
        registry.register("m", archive(MODEL_JSON), null, UPLOAD);
        failPrepare = "3";
        assertThrows(InvalidModelException.class, () -> registry.promote("m", 3));
        assertEquals(2, registry.active("m").orElseThrow().version());

        // the registry's state is on disk: a new registry over the same folder sees the same
        Registry restarted = newRegistry();
        assertEquals(2, restarted.active("m").orElseThrow().version());
        hostCalls.clear();
        restarted.serveActive(host);
        assertEquals(List.of("prepare 2", "commit 2"), hostCalls);

        assertEquals(1, restarted.rollback("m").version());
        assertEquals(List.of(ModelState.ACTIVE, ModelState.RETIRED, ModelState.STAGED),
                restarted.versions("m").stream().map(ModelVersion::state).toList());
        InvalidModelException none = assertThrows(InvalidModelException.class, () -> restarted.rollback("m"));
        assertTrue(none.getMessage().contains("no earlier active version"));
        assertThrows(InvalidModelException.class, () -> restarted.promote("m", 9));
        assertThrows(InvalidModelException.class, () -> restarted.register("../x", archive(MODEL_JSON), null, UPLOAD));
        // deleting: not the active version; a retired one leaves the rollback history, a staged one just goes
        assertTrue(assertThrows(InvalidModelException.class, () -> restarted.delete("m", 1)).getMessage()
                .contains("is active"));
        restarted.promote("m", 2);
        restarted.delete("m", 1);
        restarted.delete("m", 3);
        assertEquals(List.of(2), restarted.versions("m").stream().map(ModelVersion::version).toList());
        assertTrue(assertThrows(InvalidModelException.class, () -> restarted.rollback("m")).getMessage()
                .contains("no earlier active version"));
        assertThrows(InvalidModelException.class, () -> restarted.delete("m", 1));
        assertEquals(4, restarted.register("m", archive(MODEL_JSON), null, UPLOAD).version());
        assertEquals(List.of("REGISTERED 1", "REGISTERED 2", "PROMOTED 1", "PROMOTED 2", "REGISTERED 3",
                "ROLLED_BACK 1", "PROMOTED 2", "DELETED 1", "DELETED 3", "REGISTERED 4"), events);
    }
}
