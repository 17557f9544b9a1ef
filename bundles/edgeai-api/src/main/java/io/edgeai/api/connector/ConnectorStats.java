package io.edgeai.api.connector;

import io.edgeai.api.reading.RejectReason;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a connector counted since it started, typed: every connector counts readings (or requests) alike, and may
 * count more of its own.
 *
 * @param received readings or requests that arrived
 * @param accepted those answered (processed, or kept durably)
 * @param failed those the gateway failed on (its error, not the sender's)
 * @param rejected refusals by reason (the sender's error or an overload); reasons never seen are absent
 * @param deferred readings held back rather than refused, by reason (MQTT: a reading the broker acknowledged, kept
 *     until an overloaded model has room); each is later accepted, refused or failed like any other
 * @param more what this connector counts beyond readings, e.g. MQTT connections its guard closed (outcome
 *     {@code closed}, reason {@code not_mqtt}) or results the uplink forwarded ({@code forwarded})
 * @param levels what it holds now, e.g. {@code queued}: readings its broker keeps for it
 */
public record ConnectorStats(long received, long accepted, long failed, Map<RejectReason, Long> rejected,
        Map<RejectReason, Long> deferred, List<Count> more, Map<String, Long> levels) {

    public ConnectorStats {
        rejected = Map.copyOf(rejected);
        deferred = Map.copyOf(deferred);
        more = List.copyOf(more);
        levels = Map.copyOf(levels);
    }

    /** Every refusal, whatever its reason. */
    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One of the connector's own counts. */
    public long count(String outcome, String reason) {
        return more.stream().filter(c -> c.outcome().equals(outcome) && Objects.equals(c.reason(), reason))
                .mapToLong(Count::value).sum();
    }

    /**
     * A count of a connector's own.
     *
     * @param outcome what happened, e.g. {@code closed}, {@code forwarded}, {@code dropped}
     * @param reason why or which, e.g. {@code oldest}; null when the outcome has none
     * @param value how many times
     */
    public record Count(String outcome, String reason, long value) {

        public Count {
            Objects.requireNonNull(outcome, "outcome");
        }
    }
}
