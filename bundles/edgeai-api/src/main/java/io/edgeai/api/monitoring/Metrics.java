package io.edgeai.api.monitoring;

/** The gateway's metrics, as {@code GET /metrics} serves them. */
public interface Metrics {

    /** Every metric now, in the Prometheus text exposition format (0.0.4). */
    String scrape();
}
