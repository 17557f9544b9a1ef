package io.edgeai.connector.mqtt.internal;

import io.edgeai.connector.support.ResultJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listener's keystore. When the configured one does not exist, a self-signed certificate (EC P-256, 10 years,
 * for this host name, localhost and 127.0.0.1) is made with the JDK's own keytool, offline, so that a fresh gateway
 * serves MQTT over TLS at once; its fingerprint is logged for devices to pin until the operator installs a real one.
 */
final class SelfSignedKeystore {

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedKeystore.class);

    private SelfSignedKeystore() {
    }

    /** Makes the keystore when missing; returns the SHA-256 fingerprint of its certificate. */
    static String ensure(Path keystore, String password) throws IOException, GeneralSecurityException,
            InterruptedException {
        if (!Files.exists(keystore)) {
            create(keystore, password);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        String alias = store.aliases().nextElement();
        Certificate certificate = store.getCertificate(alias);
        return HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static void create(Path keystore, String password) throws IOException, InterruptedException {
        String host = ResultJson.hostName();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (keystore.getParent() != null) {
            Files.createDirectories(keystore.getParent());
        }
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", "edgeai-mqtt",
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "3650",
                "-dname", "CN=" + host + ", O=Edge AI Gateway", "-ext",
                "SAN=dns:" + host + ",dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password, "-noprompt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.exists(keystore)) {
            process.destroyForcibly();
            throw new IOException("keytool could not create " + keystore + ": " + output);
        }
        LOG.warn("Created a self-signed certificate for MQTT over TLS in {} (CN={}); replace it with your own for "
                + "production", keystore, host);
    }
}
