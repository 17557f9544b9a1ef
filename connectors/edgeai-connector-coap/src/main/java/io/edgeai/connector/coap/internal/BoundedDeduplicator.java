package io.edgeai.connector.coap.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.KeyMID;
import org.eclipse.californium.core.network.deduplication.Deduplicator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Californium's per-peer deduplicator (each peer's latest requests, each for the exchange lifetime, so that a
 * retransmitted request is answered from its exchange instead of being handled twice) with a bound in all. The
 * per-peer one alone is bounded per peer, not in peers: every source port is a peer, and a flood of 5,500 requests a
 * second from 2,000 ports held 275 MB of the gateway's heap for the 247 s of the exchange lifetime
 * (docs/security.md). Here, once {@code capacity} requests are remembered, newer ones are handled without being
 * remembered until older ones expire: memory stays bounded, and what a flood costs is that a request retransmitted
 * meanwhile may be handled once more (at least once, never lost). Requests already remembered are still recognised.
 */
final class BoundedDeduplicator implements Deduplicator {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedDeduplicator.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Deduplicator perPeer;
    private final int capacity;
    private final String endpoint;
    private final AtomicLong unremembered = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    BoundedDeduplicator(Deduplicator perPeer, int capacity, String endpoint) {
        if (capacity < 1) {
            throw new IllegalArgumentException("maxRememberedRequests must be at least 1, not " + capacity);
        }
        this.perPeer = perPeer;
        this.capacity = capacity;
        this.endpoint = endpoint;
    }

    @Override
    public Exchange findPrevious(KeyMID key, Exchange exchange) {
        if (perPeer.size() < capacity) {
            return perPeer.findPrevious(key, exchange);
        }
        Exchange previous = perPeer.find(key);
        if (previous == null) {
            full();
        }
        return previous;
    }

    @Override
    public boolean replacePrevious(KeyMID key, Exchange previous, Exchange exchange) {
        return perPeer.replacePrevious(key, previous, exchange);
    }

    private void full() {
        unremembered.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("CoAP {}: {} requests remembered, the most maxRememberedRequests allows: newer ones are handled"
                    + " without being remembered until older ones expire, so a retransmission of one may be handled"
                    + " twice (many devices, or a flood from many source ports?); {} so far", endpoint, capacity,
                    unremembered.get());
        }
    }

    /** Requests handled without being remembered, because {@code capacity} were. */
    long unremembered() {
        return unremembered.get();
    }

    @Override
    public Exchange find(KeyMID key) {
        return perPeer.find(key);
    }

    @Override
    public void start() {
        perPeer.start();
    }

    @Override
    public void stop() {
        perPeer.stop();
    }

    @Override
    public void setExecutor(ScheduledExecutorService executor) {
        perPeer.setExecutor(executor);
    }

    @Override
    public boolean isEmpty() {
        return perPeer.isEmpty();
    }

    @Override
    public int size() {
        return perPeer.size();
    }

    @Override
    public void clear() {
        perPeer.clear();
    }
}
