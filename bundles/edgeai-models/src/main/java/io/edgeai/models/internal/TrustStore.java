package io.edgeai.models.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys whose signatures the gateway trusts on model archives: a folder ({@code etc/edgeai/trust}) of
 * Ed25519 public keys in PEM ({@code <name>.pem}, as {@code openssl pkey -pubout} writes them), each known by its file
 * name and its fingerprint (the SHA-256 of the key's DER encoding, as {@code openssl pkey -pubin -outform DER |
 * sha256sum} prints it), and a revocation list ({@code revoked}: one key name or fingerprint per line, {@code #}
 * comments). Read again at every check, so that adding, rotating or revoking a key takes effect without a restart.
 */
final class TrustStore {

    private static final Logger LOG = LoggerFactory.getLogger(TrustStore.class);
    static final String REVOKED = "revoked";

    /** A trusted (or revoked) key. */
    record Key(String name, String fingerprint, PublicKey key, boolean revoked) {

        /** How refusals and lineage name it: {@code name (sha256:0123abcd...)}. */
        String label() {
            return name + " (sha256:" + fingerprint.substring(0, 16) + "...)";
        }
    }

    private final Path folder;

    TrustStore(Path folder) {
        this.folder = folder;
    }

    Path folder() {
        return folder;
    }

    /** The keys in the folder now; a key file that cannot be read is left out and logged. */
    List<Key> keys() {
        List<Key> keys = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return keys;
        }
        Set<String> revoked = revoked();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.pem")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                name = name.substring(0, name.length() - ".pem".length());
                try {
                    byte[] der = der(Files.readString(file, StandardCharsets.US_ASCII));
                    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
                    String fingerprint = fingerprint(der);
                    keys.add(new Key(name, fingerprint, key, revoked.contains(name.toLowerCase(Locale.ROOT))
                            || revoked.contains(fingerprint)));
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    LOG.warn("Trust store: {} is not an Ed25519 public key in PEM ({}); it is not trusted", file,
                            e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("Trust store: cannot read {}: {}", folder, e.getMessage());
        }
        keys.sort((a, b) -> a.name().compareTo(b.name()));
        return keys;
    }

    /** Names and fingerprints on the revocation list, lower case. */
    private Set<String> revoked() {
        Set<String> revoked = new TreeSet<>();
        Path file = folder.resolve(REVOKED);
        if (!Files.isRegularFile(file)) {
            return revoked;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String entry = line.replaceAll("#.*", "").trim().toLowerCase(Locale.ROOT);
                if (entry.startsWith("sha256:")) {
                    entry = entry.substring("sha256:".length());
                }
                if (!entry.isEmpty()) {
                    revoked.add(entry);
                }
            }
        } catch (IOException e) {
            LOG.warn("Trust store: cannot read the revocation list {}: {}", file, e.getMessage());
        }
        return revoked;
    }

    /** The DER bytes of a PEM block ({@code -----BEGIN PUBLIC KEY-----}). */
    static byte[] der(String pem) {
        StringBuilder base64 = new StringBuilder();
        boolean inside = false;
        for (String line : pem.split("\r?\n")) {
            if (line.startsWith("-----BEGIN ")) {
                inside = true;
            } else if (line.startsWith("-----END ")) {
                break;
            } else if (inside) {
                base64.append(line.trim());
            }
        }
        if (!inside) {
            throw new IllegalArgumentException("no -----BEGIN ...----- line");
        }
        return Base64.getDecoder().decode(base64.toString());
    }

    /** The SHA-256 of a key's DER encoding, hex. */
    static String fingerprint(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
