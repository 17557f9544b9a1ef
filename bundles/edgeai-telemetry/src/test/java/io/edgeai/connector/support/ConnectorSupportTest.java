package io.edgeai.connector.support;

import static org.junit.Assert.assertEquals;

import io.edgeai.api.connector.ConnectorStats;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.reading.RejectReason;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** A connector named once: its counts typed by reason, its own counts and levels, its health under its name. */
public class ConnectorSupportTest {

    @Test
    public void countsAreTypedAndTheNameIsGivenOnce() {
        ConnectorSupport coap = new ConnectorSupport("coap", () -> null).endpoint(() -> "coap://0.0.0.0:5683")
                .more(counters -> counters.stats(List.of(new ConnectorStats.Count("closed", "idle", 2)),
                        Map.of("queued", 7L)));
        ConnectorCounters counters = coap.counters();
        counters.received();
        counters.received();
        counters.received();
        counters.accepted(System.nanoTime());
        counters.rejected(RejectReason.NON_FINITE);
        counters.rejected(RejectReason.NON_FINITE);
        counters.deferred(RejectReason.OVERLOADED);
        ConnectorStats stats = coap.stats();
        assertEquals(3, stats.received());
        assertEquals(1, stats.accepted());
        assertEquals(0, stats.failed());
        assertEquals(Map.of(RejectReason.NON_FINITE, 2L), stats.rejected());
        assertEquals("reasons never seen are absent", 2, stats.rejectedTotal());
        assertEquals(Map.of(RejectReason.OVERLOADED, 1L), stats.deferred());
        assertEquals(2, stats.count("closed", "idle"));
        assertEquals(0, stats.count("closed", "other"));
        assertEquals(Map.of("queued", 7L), stats.levels());

        assertEquals("coap", coap.name());
        assertEquals("coap://0.0.0.0:5683", coap.endpoint());
        assertEquals("connector-coap", coap.health().component());
        assertEquals(Status.DOWN, coap.health().status());
        coap.up("listening");
        assertEquals(Status.UP, coap.health().status());
        coap.healthFrom(c -> c.health(Status.DEGRADED, "queue filling"));
        assertEquals("connector-coap", coap.health().component());
        assertEquals("queue filling", coap.health().reason());
    }
}
