package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Signed model archives on the unpacked assembly, as an operator sets them up (docs/models.md#signed-archives): keys
 * made with openssl, the public one in etc/edgeai/trust, {@code requireSignature = true}; archives signed with
 * {@code bin/edgeai edgeai:model-sign}, uploaded with curl; refusals with their reason, counted, and a revocation that
 * takes effect without a restart.
 */
public class SignedModelsIT {

    @Rule
    public TemporaryFolder tmp = GatewayProcess.folder();

    private GatewayProcess gateway;

    @Before
    public void start() throws Exception {
        gateway = GatewayProcess.unpack(tmp.getRoot().toPath().resolve("gateway"));
        gateway.set("etc/io.edgeai.models.cfg", "requireSignature", "true");
        gateway.start(false);
        gateway.awaitConnectors();
    }

    @After
    public void stop() throws Exception {
        gateway.stop();
    }

    @Test
    public void onlyArchivesSignedByATrustedKeyAreRegistered() throws Exception {
        Path keys = tmp.newFolder("keys").toPath();
        GatewayProcess.run("openssl", "genpkey", "-algorithm", "ed25519", "-out", keys.resolve("release.key")
                .toString());
        GatewayProcess.run("openssl", "pkey", "-in", keys.resolve("release.key").toString(), "-pubout", "-out",
                gateway.home.resolve("etc/edgeai/trust/release.pem").toString());
        String api = ModelsApi.base(gateway.httpPort);
        Path archive = ModelsApi.archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), "1.5");

        String[] unsigned = ModelsApi.upload(api, "adder", archive);
        assertEquals(unsigned[1], "400", unsigned[0]);
        assertTrue(unsigned[1], unsigned[1].contains("unsigned: an uploaded archive (requireSignature) must be"
                + " signed"));

        Path signed = tmp.getRoot().toPath().resolve("adder-signed.zip");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> gateway.script("edgeai:status").exit() == 0);
        GatewayProcess.Script sign = gateway.program(Map.of(), "bin/edgeai", "edgeai:model-sign", "--out",
                signed.toString(), archive.toString(), keys.resolve("release.key").toString());
        assertEquals(sign.output(), 0, sign.exit());
        assertTrue(sign.output(), sign.output().contains("with key sha256:"));
        String[] accepted = ModelsApi.upload(api, "adder", signed);
        assertEquals(accepted[1], "201", accepted[0]);
        String model = ModelsApi.curl(api + "/adder")[1];
        assertTrue(model, model.contains("\"signer\":\"release (sha256:"));

        // downloaded as a device or another gateway would: the same files, the signature with them, and an ETag
        String archiveUrl = api + "/adder/archive";
        assertEquals("404", ModelsApi.curl(archiveUrl)[0]); // nothing active yet
        Path downloaded = tmp.getRoot().toPath().resolve("downloaded.zip");
        Path headers = tmp.getRoot().toPath().resolve("headers.txt");
        assertEquals("200", GatewayProcess.run("curl", "-s", "-D", headers.toString(), "-o", downloaded.toString(),
                "-w", "%{http_code}", archiveUrl + "?version=1").trim());
        String etag = Files.readAllLines(headers).stream().filter(h -> h.toLowerCase().startsWith("etag:"))
                .map(h -> h.substring(5).trim()).findFirst().orElseThrow();
        assertTrue(etag, etag.startsWith("\"adder-v1-"));
        try (ZipFile zip = new ZipFile(downloaded.toFile())) {
            assertTrue(zip.getEntry("manifest.sig") != null && zip.getEntry("model.pt") != null
                    && zip.getEntry("version.json") == null);
        }
        assertEquals("304", ModelsApi.curl(archiveUrl + "?version=1", "-H", "If-None-Match: " + etag)[0]);
        // the downloaded archive is still signed: another model (another gateway) takes it
        String[] again = ModelsApi.upload(api, "adder-copy", downloaded);
        assertEquals(again[1], "201", again[0]);
        assertTrue(again[1], again[1].contains("\"signer\":\"release (sha256:"));

        // a byte of the model changed after signing
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(signed.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                files.put(entry.getName(), zip.getInputStream(entry).readAllBytes());
            }
        }
        files.get("model.pt")[files.get("model.pt").length / 2] ^= 1;
        Path tampered = TorchScript.zip(tmp.getRoot().toPath().resolve("adder-tampered.zip"), files);
        String[] refused = ModelsApi.upload(api, "adder", tampered);
        assertEquals(refused[1], "400", refused[0]);
        assertTrue(refused[1], refused[1].contains("digest mismatch for model.pt"));

        // revoked while the gateway runs: the same signed archive is refused from then on
        Files.writeString(gateway.home.resolve("etc/edgeai/trust/revoked"), "release\n");
        String[] revoked = ModelsApi.upload(api, "adder", signed);
        assertEquals(revoked[1], "400", revoked[0]);
        assertTrue(revoked[1], revoked[1].contains("revoked key: signed by release (sha256:"));

        String metrics = ModelsApi.curl("http://127.0.0.1:" + gateway.httpPort + "/metrics")[1];
        for (String reason : new String[] {"unsigned", "digest-mismatch", "revoked-key"}) {
            assertTrue(reason + " in " + metrics, metrics.contains("edgeai_model_archives_refused_total{reason=\""
                    + reason + "\"} 1.0"));
        }
        // only the signed version was registered
        assertTrue(model, model.contains("\"version\":1"));
        String after = ModelsApi.curl(api + "/adder")[1];
        assertTrue(after, !after.contains("\"version\":2"));
        assertEquals("errors in karaf.log", "", gateway.errors());
    }
}
