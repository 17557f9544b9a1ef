package io.edgeai.api.model;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/** Signs model archives the way the registry checks them (docs/models.md#signed-archives). */
@ProviderType
public interface ModelSigning {

    /**
     * Writes {@code out}: {@code archive} with the manifest of its files' SHA-256 digests, signed with the Ed25519
     * private key in {@code privateKey} (PKCS#8 PEM, as {@code openssl genpkey -algorithm ed25519} writes it).
     *
     * @return the signing key's fingerprint (SHA-256 of its public key's DER encoding, hex)
     * @throws InvalidModelException when the archive or the key cannot be read, with the reason
     */
    String sign(Path archive, Path privateKey, Path out) throws InvalidModelException;
}
