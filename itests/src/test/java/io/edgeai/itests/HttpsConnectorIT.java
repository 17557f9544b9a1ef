package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.edgeai.api.connector.Connector;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * The HTTP connector over TLS, configured where Karaf configures HTTPS (etc/org.ops4j.pax.web.cfg) with an operator's
 * keystore: curl, trusting only that certificate, posts a reading and gets the answer; plain HTTP still works beside
 * it; a client that does not trust the certificate is refused.
 */
public class HttpsConnectorIT extends EdgeAiTestSupport {

    private static final String PASSWORD = "it-https-secret";

    @Override
    protected Option[] additionalOptions() {
        try {
            Path keystore = new File("target/https-it.p12").getAbsoluteFile().toPath();
            Files.deleteIfExists(keystore);
            Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "gateway", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass",
                    PASSWORD, "-keypass", PASSWORD).inheritIO().start();
            assertEquals("keytool", 0, keytool.waitFor());
            String web = "etc/org.ops4j.pax.web.cfg";
            return new Option[] {
                editConfigurationFilePut(web, "org.osgi.service.http.secure.enabled", "true"),
                editConfigurationFilePut(web, "org.osgi.service.http.port.secure", freePort()),
                editConfigurationFilePut(web, "org.ops4j.pax.web.ssl.keystore", keystore.toString()),
                editConfigurationFilePut(web, "org.ops4j.pax.web.ssl.keystore.type", "PKCS12"),
                editConfigurationFilePut(web, "org.ops4j.pax.web.ssl.keystore.password", PASSWORD),
                editConfigurationFilePut(web, "org.ops4j.pax.web.ssl.key.password", PASSWORD),
            };
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test keystore", e);
        }
    }

    @Test
    public void readingsOverHttpsWithTheOperatorsCertificate() throws Exception {
        Connector http = waitForService(Connector.class, "(connector.name=http)");
        String https = "https://localhost:" + port(http.endpoint(), "https");
        String plain = "http://127.0.0.1:" + port(http.endpoint(), "http");
        // this runs inside the container: find the keystore where Karaf was told it is
        Path ca = exportCertificate(Path.of(executeCommand(
                "config:property-get -p org.ops4j.pax.web org.ops4j.pax.web.ssl.keystore").trim()));
        Curl.awaitServlet(plain, Duration.ofSeconds(TIMEOUT_SECONDS));

        String answer = Curl.run("--cacert", ca.toString(), "-w", " %{http_code}", "-H",
                "Content-Type: application/json", "--data-binary",
                "{\"ts\": 1764450000000, \"values\": {\"t\": 7}}", https + "/api/v1/telemetry/tls1");
        assertEquals(answer("tls1", 1764450000000L, "\"t\":7.0") + " 200", answer);
        assertEquals("200", Curl.postValue(plain + "/api/v1/telemetry/tls1", 8));
        // without the gateway's certificate in its trust store, curl refuses the connection
        assertNotEquals("200", Curl.postValue(https + "/api/v1/telemetry/tls1", 9));
    }

    private static Path exportCertificate(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Path pem = Files.createTempFile("gateway", ".pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(store.getCertificate("gateway").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        return pem;
    }
}
