package io.edgeai.models.internal;

import io.edgeai.api.model.InvalidModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;

/** Signs a model archive with an Ed25519 private key in PEM (console {@code edgeai:model-sign}). */
final class ArchiveSigner {

    private ArchiveSigner() {
    }

    /** Writes the signed archive to {@code out} (which may be {@code archive}); returns the key's fingerprint. */
    static String sign(Path archive, Path privateKey, Path out) throws InvalidModelException {
        PrivateKey key = privateKey(privateKey);
        String fingerprint = TrustStore.fingerprint(publicKey(key).getPublic().getEncoded());
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try {
            ArchiveSignature.signZip(archive, key, fingerprint, partial);
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return fingerprint;
        } catch (java.util.zip.ZipException e) {
            throw new InvalidModelException("not a zip archive: " + archive + " (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidModelException("cannot sign " + archive + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new InvalidModelException("cannot sign with " + privateKey + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // nothing left to do about it: the signed archive, if any, is in place
            }
        }
    }

    /** An Ed25519 private key from PKCS#8 PEM ({@code openssl genpkey -algorithm ed25519}). */
    static PrivateKey privateKey(Path pem) throws InvalidModelException {
        try {
            byte[] der = TrustStore.der(Files.readString(pem, StandardCharsets.US_ASCII));
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException e) {
            throw new InvalidModelException("cannot read the private key " + pem + ": " + e.getMessage());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidModelException(pem + " is not an Ed25519 private key in PEM (openssl genpkey -algorithm"
                    + " ed25519 -out " + pem.getFileName() + ")");
        }
    }

    /**
     * The key pair of a private key: the JDK derives an Ed25519 public key only when it generates the pair, so the
     * pair is generated again from the private key's own 32 bytes.
     */
    static KeyPair publicKey(PrivateKey key) throws InvalidModelException {
        byte[] seed = ((EdECPrivateKey) key).getBytes().orElseThrow(() -> new InvalidModelException(
                "the private key does not reveal its bytes (a hardware key?): sign with openssl pkeyutl instead"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                private static final long serialVersionUID = 1L;

                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
                }
            });
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK signs with Ed25519 since 15", e);
        }
    }
}
