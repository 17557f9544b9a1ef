package io.edgeai.api.monitoring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.Test;

public class MeterSetTest {

    @Test
    public void metersAddedBeforeAndAfterBindingAreInEveryBoundRegistry() {
        MeterSet set = new MeterSet();
        LongAdder received = new LongAdder();
        set.counter("edgeai.connector.received", "readings", received, LongAdder::sum, "connector", "coap");
        MeterRegistry first = new SimpleMeterRegistry();
        set.bindTo(first);
        received.add(3);
        assertEquals(3.0, first.get("edgeai.connector.received").tag("connector", "coap").functionCounter().count(), 0);

        // a reason first counted after binding joins the registries bound already, and any bound later
        LongAdder malformed = new LongAdder();
        malformed.increment();
        set.counter("edgeai.connector.rejected", "refused", malformed, LongAdder::sum, "connector", "coap", "reason",
                "malformed");
        MeterRegistry second = new SimpleMeterRegistry();
        set.bindTo(second);
        for (MeterRegistry registry : new MeterRegistry[] {first, second}) {
            FunctionCounter rejected = registry.get("edgeai.connector.rejected").tag("reason", "malformed")
                    .functionCounter();
            assertEquals(1.0, rejected.count(), 0);
            assertEquals(2, registry.getMeters().size());
        }
    }

    @Test
    public void theSameNameAndTagsKeepTheFirstMeter() {
        MeterSet set = new MeterSet();
        AtomicLong one = new AtomicLong(1);
        AtomicLong two = new AtomicLong(2);
        set.gauge("edgeai.model.queued", "waiting", one, AtomicLong::get, "model", "m");
        set.gauge("edgeai.model.queued", "waiting", two, AtomicLong::get, "model", "m");
        MeterRegistry registry = new SimpleMeterRegistry();
        set.bindTo(registry);
        assertEquals(1, registry.getMeters().size());
        assertEquals(1.0, registry.get("edgeai.model.queued").gauge().value(), 0);
        assertTrue(set.has("edgeai.model.queued", "model", "m"));
    }

    @Test
    public void removingByTagRemovesFromTheRegistriesAndFromLaterBindings() {
        MeterSet set = new MeterSet();
        AtomicLong value = new AtomicLong(5);
        set.gauge("edgeai.model.queued", "waiting", value, AtomicLong::get, "model", "gone");
        set.gauge("edgeai.model.queued", "waiting", value, AtomicLong::get, "model", "kept");
        MeterRegistry registry = new SimpleMeterRegistry();
        set.bindTo(registry);
        set.remove("model", "gone");
        assertNull(registry.find("edgeai.model.queued").tag("model", "gone").gauge());
        Gauge kept = registry.find("edgeai.model.queued").tag("model", "kept").gauge();
        assertEquals(5.0, kept.value(), 0);
        MeterRegistry later = new SimpleMeterRegistry();
        set.bindTo(later);
        assertEquals(1, later.getMeters().size());
    }

    @Test
    public void aClosedRegistryIsForgotten() {
        MeterSet set = new MeterSet();
        MeterRegistry closed = new SimpleMeterRegistry();
        set.bindTo(closed);
        closed.close();
        set.counter("edgeai.pipeline.readings", "readings", new LongAdder(), LongAdder::sum, "pipeline", "p");
        assertTrue(closed.getMeters().isEmpty());
    }
}
