package io.edgeai.connector.support;

import io.edgeai.api.connector.ConnectorStats;
import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.api.monitoring.Meters;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.reading.RejectReason;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A connector's counts of readings (or requests), kept alike by every connector: received, accepted (timed from
 * arrival to answer), refused by reason, held back by reason, failed. Thread-safe and cheap on the hot path.
 */
public final class ConnectorCounters {

    private static final RejectReason[] REASONS = RejectReason.values();

    private final LongAdder received = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder[] rejected = adders();
    private final LongAdder[] deferred = adders();
    private final Meters.Meter latency;
    private final String connector;
    private final MeterSet meters;
    /** Reasons (by ordinal) already counted as refused and as deferred: their counters are in the meter set. */
    private final AtomicIntegerArray seen = new AtomicIntegerArray(REASONS.length * 2);

    /**
     * Counts of the connector named so, with its latency histogram ({@code edgeai.connector.latency}) on the
     * monitoring's recorder while there is one, and its counters in {@code meters}: received, accepted and failed now,
     * refusals and deferrals by reason when the reason is first counted.
     */
    public ConnectorCounters(String connector, Supplier<Recorder> recorder, MeterSet meters) {
        this.connector = connector;
        this.meters = meters;
        latency = new Meters(recorder).timer("edgeai.connector.latency", "Time from a reading's arrival to its"
                + " answer, of the readings the connector accepted", "connector", connector);
        meters.counter("edgeai.connector.received", "Readings and requests a connector received", received,
                LongAdder::sum, "connector", connector);
        meters.counter("edgeai.connector.accepted", "Readings and requests a connector answered after processing them"
                + " (or kept durably)", accepted, LongAdder::sum, "connector", connector);
        meters.counter("edgeai.connector.failed", "Readings and requests the gateway failed on", failed,
                LongAdder::sum, "connector", connector);
    }

    /** Counts without meters (tests, tools). */
    public ConnectorCounters(String connector) {
        this(connector, () -> null, new MeterSet());
    }

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[REASONS.length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    public void received() {
        received.increment();
    }

    /** A reading or request answered; {@code arrivedNanos} ({@link System#nanoTime()}) times it. */
    public void accepted(long arrivedNanos) {
        accepted.increment();
        latency.since(arrivedNanos);
    }

    /** An answered request not timed (an upload, a listing). */
    public void accepted() {
        accepted.increment();
    }

    public void rejected(RejectReason reason) {
        rejected[reason.ordinal()].increment();
        if (seen.get(reason.ordinal()) == 0 && seen.compareAndSet(reason.ordinal(), 0, 1)) {
            meters.counter("edgeai.connector.rejected", "Readings and requests a connector refused, by reason",
                    rejected[reason.ordinal()], LongAdder::sum, "connector", connector, "reason", reason.metricTag());
        }
    }

    /**
     * A reading held back rather than refused (MQTT readings the broker already acknowledged, tried again when an
     * overloaded model has room): counted once as deferred for its reason; it is then accepted, refused or failed
     * like any other.
     */
    public void deferred(RejectReason reason) {
        deferred[reason.ordinal()].increment();
        int at = REASONS.length + reason.ordinal();
        if (seen.get(at) == 0 && seen.compareAndSet(at, 0, 1)) {
            meters.counter("edgeai.connector.deferred", "Readings held back and tried again, by reason",
                    deferred[reason.ordinal()], LongAdder::sum, "connector", connector, "reason", reason.metricTag());
        }
    }

    public void failed() {
        failed.increment();
    }

    /** The counts so far, with what the connector counts of its own. */
    public ConnectorStats stats(List<ConnectorStats.Count> more, Map<String, Long> levels) {
        return new ConnectorStats(received.sum(), accepted.sum(), failed.sum(), byReason(rejected),
                byReason(deferred), more, levels);
    }

    /** The counts so far. */
    public ConnectorStats stats() {
        return stats(List.of(), Map.of());
    }

    private static Map<RejectReason, Long> byReason(LongAdder[] adders) {
        Map<RejectReason, Long> counts = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : REASONS) {
            long n = adders[reason.ordinal()].sum();
            if (n > 0) {
                counts.put(reason, n);
            }
        }
        return counts;
    }
}
