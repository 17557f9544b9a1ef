package io.edgeai.models.internal;

import static io.edgeai.api.model.ModelRegistry.Source.FLEET;
import static io.edgeai.api.model.ModelRegistry.Source.TRAINING;
import static io.edgeai.api.model.ModelRegistry.Source.UPLOAD;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelHost;
import io.edgeai.api.model.ModelRegistry.Source;
import io.edgeai.api.model.ModelVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Signed archives through the registry: keys made with openssl as docs/models.md shows, archives signed with the
 * gateway's signer and with openssl alone, every refusal reason, and a tampered byte anywhere.
 */
public class ArchiveSignatureTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path trust;
    private Path keys;
    private final List<String> refused = new ArrayList<>();
    private final ModelHost host = new ModelHost() {
        @Override
        public void check(ModelVersion version, Path folder) {
        }

        @Override
        public Activation prepare(ModelVersion version, Path folder) {
            return new Activation() {
                @Override
                public void commit() {
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void remove(String model) {
        }
    };

    @Before
    public void setUp() throws Exception {
        trust = temp.newFolder("trust").toPath();
        keys = temp.newFolder("keys").toPath();
        for (String name : List.of("release", "release-next", "stranger")) {
            openssl("genpkey", "-algorithm", "ed25519", "-out", keys.resolve(name + ".key").toString());
            openssl("pkey", "-in", keys.resolve(name + ".key").toString(), "-pubout", "-out",
                    keys.resolve(name + ".pem").toString());
        }
        // two trusted keys (rotation); the stranger's is not in the trust store
        Files.copy(keys.resolve("release.pem"), trust.resolve("release.pem"));
        Files.copy(keys.resolve("release-next.pem"), trust.resolve("release-next.pem"));
    }

    private Registry registry(boolean requireUploads) throws IOException {
        return new Registry(new ModelStore(temp.getRoot().toPath().resolve("models")),
                new ModelArchive.Limits(10_000_000, 20_000_000, 100),
                new Registry.SignaturePolicy(new TrustStore(trust), requireUploads, true), () -> host,
                (topic, props) -> { }, refused::add);
    }

    private Path archive(Map<String, byte[]> files) throws IOException {
        return RegistryTest.zip(Files.createTempFile(temp.getRoot().toPath(), "archive", ".zip"), files);
    }

    private Map<String, byte[]> model() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.json", RegistryTest.MODEL_JSON.getBytes(StandardCharsets.UTF_8));
        files.put("model.pt", new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        files.put("pipeline.json", "{\"steps\":[]}".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private Path signed(String key) throws Exception {
        Path out = temp.getRoot().toPath().resolve("signed-" + System.nanoTime() + ".zip");
        String fingerprint = ArchiveSigner.sign(archive(model()), keys.resolve(key + ".key"), out);
        assertEquals(64, fingerprint.length());
        return out;
    }

    private String refusal(Path archive, Source source, boolean required) throws IOException {
        return assertThrows(InvalidModelException.class, () -> registry(required).register("m", archive, null,
                source)).getMessage();
    }

    @Test
    public void aSignedArchiveIsRegisteredAndItsSignerRecorded() throws Exception {
        ModelVersion version = registry(true).register("m", signed("release"), null, UPLOAD);
        assertTrue(version.lineage().signer(), version.lineage().signer().startsWith("release (sha256:"));
        // the lineage on disk says so too
        assertEquals(version.lineage().signer(), registry(true).versions("m").get(0).lineage().signer());
        // the rotated-in key signs as well
        assertTrue(registry(true).register("m", signed("release-next"), null, FLEET).lineage().signer()
                .startsWith("release-next (sha256:"));
        assertEquals(List.of(), refused);
    }

    @Test
    public void theFingerprintIsOpensslsDigestOfThePublicKey() throws Exception {
        byte[] der = openssl("pkey", "-pubin", "-in", keys.resolve("release.pem").toString(), "-outform", "DER");
        String expected = TrustStore.fingerprint(der);
        TrustStore.Key key = new TrustStore(trust).keys().stream().filter(k -> k.name().equals("release"))
                .findFirst().orElseThrow();
        assertEquals(expected, key.fingerprint());
        try (ZipFile zip = new ZipFile(signed("release").toFile())) {
            assertEquals(expected + "\n", new String(zip.getInputStream(zip.getEntry(ArchiveSignature.KEY))
                    .readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    public void anArchiveSignedWithOpensslAloneVerifies() throws Exception {
        // as docs/models.md shows: sha256sum of the files, then openssl pkeyutl over that manifest
        Path folder = temp.newFolder("by-hand").toPath();
        Map<String, byte[]> files = model();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(folder.resolve(file.getKey()), file.getValue());
        }
        Process sums = new ProcessBuilder("sha256sum", "model.json", "model.pt", "pipeline.json").directory(
                folder.toFile()).redirectOutput(folder.resolve("manifest.sha256").toFile()).start();
        assertTrue(sums.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, sums.exitValue());
        openssl("pkeyutl", "-sign", "-inkey", keys.resolve("release.key").toString(), "-rawin", "-in",
                folder.resolve("manifest.sha256").toString(), "-out", folder.resolve("manifest.sig").toString());
        files.put("manifest.sha256", Files.readAllBytes(folder.resolve("manifest.sha256")));
        files.put("manifest.sig", Files.readAllBytes(folder.resolve("manifest.sig")));
        ModelVersion version = registry(true).register("m", archive(files), null, UPLOAD);
        assertTrue(version.lineage().signer(), version.lineage().signer().startsWith("release (sha256:"));
        // and openssl verifies what the gateway's signer made
        Path signed = signed("release-next");
        Path manifest = temp.getRoot().toPath().resolve("m.sha256");
        Path signature = temp.getRoot().toPath().resolve("m.sig");
        try (ZipFile zip = new ZipFile(signed.toFile())) {
            Files.write(manifest, zip.getInputStream(zip.getEntry(ArchiveSignature.MANIFEST)).readAllBytes());
            Files.write(signature, zip.getInputStream(zip.getEntry(ArchiveSignature.SIGNATURE)).readAllBytes());
        }
        String verdict = new String(openssl("pkeyutl", "-verify", "-pubin", "-inkey",
                keys.resolve("release-next.pem").toString(), "-rawin", "-in", manifest.toString(), "-sigfile",
                signature.toString()), StandardCharsets.UTF_8);
        assertTrue(verdict, verdict.contains("Signature Verified Successfully"));
    }

    @Test
    public void eachRefusalSaysWhyAndIsCounted() throws Exception {
        // unsigned, where signatures are required: uploads with requireSignature, the fleet always
        assertTrue(refusal(archive(model()), UPLOAD, true).startsWith("unsigned: an uploaded archive"));
        assertTrue(refusal(archive(model()), FLEET, false).startsWith("unsigned: an archive from the fleet"));
        // not required: unsigned uploads and the gateway's own trainings pass
        assertNull(registry(false).register("m", archive(model()), null, UPLOAD).lineage().signer());
        assertNull(registry(true).register("m", archive(model()), null, TRAINING).lineage().signer());
        // a key the trust store does not hold, named by the archive or not
        Path stranger = signed("stranger");
        String unknown = refusal(stranger, UPLOAD, false);
        assertTrue(unknown, unknown.startsWith("unknown key: signed by sha256:"));
        assertTrue(refusal(without(stranger, ArchiveSignature.KEY), UPLOAD, false).startsWith("unknown key: none of"
                + " the 2 keys"));
        // a revoked key, by name or by fingerprint
        Files.writeString(trust.resolve(TrustStore.REVOKED), "# compromised 2026-12-01\nrelease\n");
        assertTrue(refusal(signed("release"), UPLOAD, false).startsWith("revoked key: signed by release"));
        String fingerprint = new TrustStore(trust).keys().stream().filter(k -> k.name().equals("release-next"))
                .findFirst().orElseThrow().fingerprint();
        Files.writeString(trust.resolve(TrustStore.REVOKED), "sha256:" + fingerprint + "\n");
        assertTrue(refusal(signed("release-next"), FLEET, true).startsWith("revoked key: signed by release-next"));
        Files.delete(trust.resolve(TrustStore.REVOKED));
        // a file changed, added, removed after signing
        Path good = signed("release");
        assertEquals("digest mismatch for model.pt", refusal(replace(good, "model.pt", new byte[] {9}), UPLOAD,
                false).replaceAll(":.*", ""));
        assertEquals("file extra.bin is not in the signed manifest", refusal(replace(good, "extra.bin", new byte[1]),
                UPLOAD, false));
        assertTrue(refusal(without(good, "pipeline.json"), UPLOAD, false).startsWith("the signed manifest lists"
                + " pipeline.json, which the archive does not hold"));
        // the manifest altered to match a changed file: the signature no longer holds
        Path forged = replace(replace(good, "model.pt", new byte[] {9}), ArchiveSignature.MANIFEST,
                forgedManifest(good, "model.pt", new byte[] {9}));
        String bad = refusal(forged, UPLOAD, false);
        assertTrue(bad, bad.startsWith("bad signature: manifest.sha256 or manifest.sig was altered after release"));
        assertTrue(refusal(without(good, ArchiveSignature.SIGNATURE), UPLOAD, false).startsWith("incomplete"
                + " signature: manifest.sig is missing"));
        assertTrue(refusal(replace(good, ArchiveSignature.MANIFEST, "not a manifest\n".getBytes(
                StandardCharsets.UTF_8)), UPLOAD, false).startsWith("manifest.sha256 line 1 is not"));
        assertEquals(List.of("unsigned", "unsigned", "unknown-key", "unknown-key", "revoked-key", "revoked-key",
                "digest-mismatch", "unlisted-file", "missing-file", "bad-signature", "bad-manifest", "bad-manifest"),
                refused);
        // nothing refused left a trace: only the two accepted versions are there
        assertEquals(2, registry(false).versions("m").size());
    }

    /**
     * The gateway's own key: made once (private key readable by its owner only, public key in the trust store as
     * gateway.pem), then what the training registers is signed with it; a second start keeps the key.
     */
    @Test
    public void trainedModelsAreSignedWithTheGatewaysOwnKey() throws Exception {
        Path key = temp.getRoot().toPath().resolve("etc/edgeai/keys/gateway.key");
        assertEquals(key, GatewayKey.ensure(key, trust));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                key)));
        byte[] made = Files.readAllBytes(key);
        GatewayKey.ensure(key, trust);
        assertArrayEquals("kept at the next start", made, Files.readAllBytes(key));
        Registry registry = new Registry(new ModelStore(temp.getRoot().toPath().resolve("models")),
                new ModelArchive.Limits(10_000_000, 20_000_000, 100),
                new Registry.SignaturePolicy(new TrustStore(trust), true, true, key), () -> host,
                (topic, props) -> { }, refused::add);
        ModelVersion trained = registry.register("m", archive(model()), null, Source.TRAINING);
        assertTrue(trained.lineage().signer(), trained.lineage().signer().startsWith("gateway (sha256:"));
        assertTrue(Files.isRegularFile(registry.directory("m", trained.version()).orElseThrow()
                .resolve(ArchiveSignature.SIGNATURE)));
        // an upload is not signed by the gateway: with requireSignature it is still refused
        assertThrows(InvalidModelException.class, () -> registry.register("m", archive(model()), null, UPLOAD));
    }

    /**
     * A local header whose name is not UTF-8 (the central directory's still is): refused as an altered archive, not
     * an error of the gateway (ZipInputStream throws IllegalArgumentException for such a name).
     */
    @Test
    public void aLocalHeaderNameThatIsNotUtf8IsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(signed("release"));
        bytes[30] = (byte) 0xC3; // the first local header's name starts at byte 30; 0xC3 then ASCII is no UTF-8
        bytes[31] = 'x';
        Path altered = Files.write(temp.getRoot().toPath().resolve("not-utf8.zip"), bytes);
        String message = refusal(altered, UPLOAD, false);
        assertTrue(message, message.startsWith("the zip's entries cannot be read in order")
                || message.contains("disagrees with its central directory"));
    }

    /**
     * Every byte of a signed archive flipped in turn: refused, unless the byte is zip metadata that neither the
     * gateway nor a streaming reader uses (the central directory's "version made by", attributes and disk number, a
     * local header's "version needed" and its sizes when a data descriptor follows): then what is unpacked is byte for
     * byte what was signed. About 84 % are refused; the rest are those fields.
     */
    @Test
    public void aTamperedByteAnywhereIsRefusedOrChangesNothingTheGatewayReads() throws Exception {
        Path good = signed("release");
        byte[] bytes = Files.readAllBytes(good);
        Map<String, byte[]> original = contents(good);
        Registry registry = registry(true);
        int refusedCount = 0;
        int unchanged = 0;
        for (int at = 0; at < bytes.length; at++) {
            byte[] tampered = bytes.clone();
            tampered[at] ^= 0x5A;
            Path file = temp.getRoot().toPath().resolve("tampered.zip");
            Files.write(file, tampered);
            try {
                registry.register("t", file, null, UPLOAD);
            } catch (InvalidModelException e) {
                refusedCount++;
                continue;
            }
            // accepted: then every file the gateway reads is byte for byte what was signed (the byte was zip
            // metadata nobody reads: a timestamp, an attribute)
            Map<String, byte[]> accepted = contents(file);
            assertEquals("byte " + at, original.keySet(), accepted.keySet());
            for (String name : original.keySet()) {
                assertArrayEquals("byte " + at + " of " + name, original.get(name), accepted.get(name));
            }
            unchanged++;
            registry.delete("t", registry.versions("t").get(registry.versions("t").size() - 1).version());
        }
        assertEquals(bytes.length, refusedCount + unchanged);
        assertTrue("refused " + refusedCount + " of " + bytes.length, refusedCount > bytes.length * 0.8);
    }

    private static Map<String, byte[]> contents(Path zipFile) throws IOException {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                contents.put(entry.getName(), zip.getInputStream(entry).readAllBytes());
            }
        }
        return contents;
    }

    private Path replace(Path zipFile, String name, byte[] bytes) throws IOException {
        Map<String, byte[]> files = contents(zipFile);
        files.put(name, bytes);
        return archive(files);
    }

    private Path without(Path zipFile, String name) throws IOException {
        Map<String, byte[]> files = contents(zipFile);
        files.remove(name);
        return archive(files);
    }

    private byte[] forgedManifest(Path zipFile, String name, byte[] bytes) throws IOException {
        String manifest = new String(contents(zipFile).get(ArchiveSignature.MANIFEST), StandardCharsets.UTF_8);
        String[] lines = manifest.split("\n");
        StringBuilder forged = new StringBuilder();
        for (String line : lines) {
            forged.append(line.endsWith("  " + name) ? ModelArchive.sha256(bytes) + "  " + name : line).append('\n');
        }
        return forged.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + new String(out, StandardCharsets.UTF_8), 0,
                process.exitValue());
        return out;
    }
}
