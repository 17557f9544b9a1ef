package io.edgeai.api.model;

import java.time.Instant;

/**
 * Where a model version came from.
 *
 * @param parentVersion the version it was trained from, or {@code null}
 * @param jobId the training job that produced it, or {@code null} for an uploaded archive
 * @param dataFrom start of the training data window, or {@code null}
 * @param dataTo end of the training data window, or {@code null}
 * @param signer the trusted key that signed its archive ({@code name (sha256:...)}), or {@code null} when unsigned
 */
public record Lineage(Integer parentVersion, String jobId, Instant dataFrom, Instant dataTo, String signer) {

    /** Lineage of an archive uploaded from outside. */
    public static Lineage uploaded() {
        return new Lineage(null, null, null, null, null);
    }

    /** The same lineage, its archive signed by {@code key}. */
    public Lineage signedBy(String key) {
        return new Lineage(parentVersion, jobId, dataFrom, dataTo, key);
    }
}
