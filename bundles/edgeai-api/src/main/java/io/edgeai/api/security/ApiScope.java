package io.edgeai.api.security;

import java.util.Locale;
import java.util.Optional;

/** What an API credential may do. {@link #ADMIN} may do everything; every other scope grants only itself. */
public enum ApiScope {
    /** Send readings and labels for devices, read their latest results. */
    INGEST,
    /**
     * Ask a model for predictions ({@code POST /api/v1/models/{name}/predict}) and the anomaly watch to replay a
     * history ({@code POST /api/v1/anomaly/{deviceId}/replay}).
     */
    PREDICT,
    /** Read metrics, health, the dashboard's data, models, training jobs and latest results. */
    READ,
    /** Upload, promote, roll back and delete model versions. */
    MODELS,
    /** Start and cancel training jobs. */
    TRAINING,
    /** Everything. */
    ADMIN;

    /** The scope's name as written in files, commands and answers: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when holding this scope allows what {@code needed} guards. */
    public boolean grants(ApiScope needed) {
        return this == ADMIN || this == needed;
    }

    /** The scope named (case-insensitive), or empty. */
    public static Optional<ApiScope> parse(String label) {
        if (label == null) {
            return Optional.empty();
        }
        for (ApiScope scope : values()) {
            if (scope.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
