package io.edgeai.connector.mqtt.internal;

import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;

/**
 * Logs events that a hostile client can cause at will as one summary line per period: how many of each kind, never a
 * line per event. The first event of a quiet period is logged at once, the rest in the next summary.
 */
final class SummaryLog {

    private final Logger log;
    private final long periodMillis;
    private final Map<String, Integer> pending = new TreeMap<>();
    private long windowStart;
    private boolean logged;

    SummaryLog(Logger log, long periodMillis) {
        this.log = log;
        this.periodMillis = periodMillis;
    }

    synchronized void note(String event) {
        long now = System.currentTimeMillis();
        if (now - windowStart >= periodMillis) {
            flush(now);
        }
        if (!logged) {
            log.info("MQTT connection closed: {} (further ones are summed up once a minute)", event);
            logged = true;
            return;
        }
        pending.merge(kind(event), 1, Integer::sum);
    }

    /** Logs the summary of a period that has ended, also when no event came since (called periodically). */
    synchronized void flushIfDue() {
        long now = System.currentTimeMillis();
        if (now - windowStart >= periodMillis) {
            flush(now);
        }
    }

    private void flush(long now) {
        if (!pending.isEmpty()) {
            log.warn("MQTT connections closed in the last {} s: {}", (now - windowStart) / 1000, pending);
            pending.clear();
        } else {
            logged = false;
        }
        windowStart = now;
    }

    /** The kind of an event: its reason and address, cut to a bounded number of kinds. */
    private String kind(String event) {
        return pending.size() < 20 || pending.containsKey(event) ? event : "other";
    }
}
