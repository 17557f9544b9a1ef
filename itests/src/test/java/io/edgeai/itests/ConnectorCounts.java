package io.edgeai.itests;

/**
 * Connectors' stats for the tests that compare them (apart from EdgeAiTestSupport, which every test loads: a test of a
 * feature not installed yet cannot load the connector API).
 */
final class ConnectorCounts {

    private ConnectorCounts() {
    }

    /**
     * A connector's stats as flat counts, the way the tests compare them: {@code received}, {@code accepted},
     * {@code failed}, {@code rejected.<reason>}, {@code deferred.<reason>}, its own counts as {@code <outcome>} or
     * {@code <outcome>.<reason>}, and its levels ({@code queued}).
     */
    static java.util.Map<String, Long> of(io.edgeai.api.connector.Connector connector) {
        io.edgeai.api.connector.ConnectorStats stats = connector.stats();
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        counts.put("received", stats.received());
        counts.put("accepted", stats.accepted());
        counts.put("failed", stats.failed());
        stats.rejected().forEach((reason, n) -> counts.put("rejected." + reason.metricTag(), n));
        stats.deferred().forEach((reason, n) -> counts.put("deferred." + reason.metricTag(), n));
        stats.more().forEach(c -> counts.put(c.outcome() + (c.reason() == null ? "" : "." + c.reason()), c.value()));
        counts.putAll(stats.levels());
        return counts;
    }
}
