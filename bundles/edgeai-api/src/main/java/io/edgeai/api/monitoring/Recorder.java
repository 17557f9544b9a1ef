package io.edgeai.api.monitoring;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Histograms of how long the gateway's work takes and how large its batches are, served on {@code GET /metrics}.
 * Offered by the monitoring bundle; components bind it optionally and record through {@link Meters}, so that without
 * monitoring nothing is recorded and nothing is paid.
 */
@ProviderType
public interface Recorder {

    /**
     * The histogram of durations (given in nanoseconds, served in seconds) for a name such as
     * {@code edgeai.connector.latency} and tags given as key, value pairs; the same histogram for the same name and tags.
     */
    Histogram timer(String name, String description, String... tags);

    /** The histogram of amounts, such as rows per batch, for a name and tags as above. */
    Histogram distribution(String name, String description, String... tags);

    /** One histogram; recording is cheap and thread-safe. */
    @FunctionalInterface
    interface Histogram {
        void record(long value);
    }
}
