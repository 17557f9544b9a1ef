package io.edgeai.connector.coap.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.net.InetSocketAddress;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.Exchange.Origin;
import org.eclipse.californium.core.network.KeyMID;
import org.eclipse.californium.core.network.deduplication.SweepPerPeerDeduplicator;
import org.eclipse.californium.elements.config.Configuration;
import org.junit.Test;

public class BoundedDeduplicatorTest {

    static {
        CoapConfig.register();
    }

    private static BoundedDeduplicator deduplicator(int capacity) {
        Configuration coap = Configuration.createStandardWithoutFile();
        coap.set(CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES, 64);
        return new BoundedDeduplicator(new SweepPerPeerDeduplicator(coap), capacity, "coap");
    }

    private static KeyMID key(int mid, int port) {
        return new KeyMID(mid, new InetSocketAddress("192.0.2.1", port));
    }

    private static Exchange exchange() {
        return new Exchange(new Request(Code.POST), null, Origin.REMOTE, Runnable::run);
    }

    @Test
    public void aRetransmissionFindsTheFirstExchange() {
        BoundedDeduplicator dedup = deduplicator(8);
        Exchange first = exchange();
        assertNull(dedup.findPrevious(key(1, 40000), first));
        assertSame(first, dedup.findPrevious(key(1, 40000), exchange()));
        // the same message id from another port is another peer's request
        assertNull(dedup.findPrevious(key(1, 40001), exchange()));
        assertEquals(2, dedup.size());
    }

    @Test
    public void eachPeerKeepsItsLatestRequestsOnly() {
        BoundedDeduplicator dedup = deduplicator(1000);
        for (int mid = 0; mid < 100; mid++) {
            dedup.findPrevious(key(mid, 40000), exchange());
        }
        assertEquals(64, dedup.size());
        assertNull(dedup.find(key(0, 40000)));
        assertEquals(0, dedup.unremembered());
    }

    @Test
    public void aFloodFromManyPortsIsNotRememberedBeyondTheBound() {
        BoundedDeduplicator dedup = deduplicator(1000);
        Exchange early = exchange();
        dedup.findPrevious(key(7, 19999), early);
        // 64 requests from each of 2,000 source ports (the flood that held 275 MB for 247 s without the bound)
        for (int port = 0; port < 2000; port++) {
            for (int mid = 0; mid < 64; mid++) {
                dedup.findPrevious(key(mid, 20000 + port), exchange());
            }
        }
        assertEquals(1000, dedup.size());
        assertEquals(2000 * 64 - 999, dedup.unremembered());
        // what was remembered before is still recognised; what came after the bound was handled, not remembered
        assertSame(early, dedup.findPrevious(key(7, 19999), exchange()));
        assertNull(dedup.findPrevious(key(63, 20000 + 1999), exchange()));
        assertNull(dedup.find(key(63, 20000 + 1999)));
    }
}
