package io.edgeai.telemetry;

import io.edgeai.api.monitoring.Meters;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.reading.RejectReason;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A connector's counters, named as {@link io.edgeai.api.connector.Connector#counters()} documents them, so that every
 * connector counts alike. Thread-safe and cheap on the hot path.
 */
public final class ConnectorCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Meters.Meter latency;

    /**
     * Counters of the connector named so, with its latency histogram ({@code edgeai.connector.latency}) on the
     * monitoring's recorder while there is one.
     */
    public ConnectorCounters(String connector, Supplier<Recorder> recorder) {
        latency = new Meters(recorder).timer("edgeai.connector.latency", "Time from a reading's arrival to its"
                + " answer, of the readings the connector accepted", "connector", connector);
    }

    public void received() {
        add("received");
    }

    /** A reading or request answered; {@code arrivedNanos} ({@link System#nanoTime()}) times it. */
    public void accepted(long arrivedNanos) {
        add("accepted");
        latency.since(arrivedNanos);
    }

    /** An answered request not timed (an upload, a listing). */
    public void accepted() {
        add("accepted");
    }

    public void rejected(RejectReason reason) {
        add("rejected." + reason.metricTag());
    }

    /**
     * A reading held back rather than refused (MQTT readings the broker already acknowledged, tried again when an
     * overloaded model has room): counted once as {@code deferred.<reason>}; it is then accepted, refused or failed
     * like any other.
     */
    public void deferred(RejectReason reason) {
        add("deferred." + reason.metricTag());
    }

    public void failed() {
        add("failed");
    }

    private void add(String name) {
        counts.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    /** The counts so far, by name, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((name, adder) -> copy.put(name, adder.sum()));
        return copy;
    }
}
