package io.edgeai.api.monitoring;

import org.osgi.annotation.versioning.ProviderType;

/** The gateway's metrics, as {@code GET /metrics} serves them. */
@ProviderType
public interface Metrics {

    /** Every metric now, in the Prometheus text exposition format (0.0.4). */
    String scrape();
}
