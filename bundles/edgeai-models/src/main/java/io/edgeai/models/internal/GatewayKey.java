package io.edgeai.models.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own Ed25519 signing key, with which it signs the models its training makes (so that devices can
 * check them like any signed archive): made at the first start when there is none, as PKCS#8 PEM readable by its
 * owner only; its public key goes into the trust store as {@code gateway.pem} (the file devices are given). An
 * operator may put their own key in its place ({@code openssl genpkey -algorithm ed25519}).
 */
final class GatewayKey {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayKey.class);

    private GatewayKey() {
    }

    /**
     * The private key's file, made with its public key in {@code trust} when it does not exist yet.
     *
     * @throws IOException when the files cannot be written
     */
    static Path ensure(Path privateKey, Path trust) throws IOException {
        if (Files.isRegularFile(privateKey)) {
            return privateKey;
        }
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has Ed25519 since 15", e);
        }
        Files.createDirectories(privateKey.getParent());
        Path partial = privateKey.resolveSibling(privateKey.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        try {
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(partial); // not a POSIX file system
        }
        Files.writeString(partial, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.createDirectories(trust);
        Path publicKey = trust.resolve("gateway.pem");
        try {
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII,
                    java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            LOG.warn("{} exists and is not the public key of the new signing key {}: devices and the trust store"
                    + " need the new one (openssl pkey -in {} -pubout)", publicKey, privateKey, privateKey);
        }
        Files.move(partial, privateKey, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Made the gateway's signing key {} (sha256:{}); models it trains are signed with it. Its public key"
                + " is {}: give it to the devices that check signatures", privateKey,
                TrustStore.fingerprint(pair.getPublic().getEncoded()), publicKey);
        return privateKey;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
