package io.edgeai.connector.coap.internal;

import io.edgeai.api.reading.RejectReason;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The connector's counters, as {@link io.edgeai.api.connector.Connector#counters()} names them. */
final class Counters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void received() {
        add("received");
    }

    void accepted() {
        add("accepted");
    }

    void rejected(RejectReason reason) {
        add("rejected." + reason.metricTag());
    }

    void failed() {
        add("failed");
    }

    private void add(String name) {
        counts.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((name, adder) -> copy.put(name, adder.sum()));
        return copy;
    }
}
