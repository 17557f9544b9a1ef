package io.edgeai.monitoring.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.monitoring.MeterSet;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The registry binds the components' meter binders while they are there, and drops their meters when they leave. */
public class MetricsWhiteboardTest {

    private final MetricsComponent metrics = new MetricsComponent();

    @Before
    public void start() {
        metrics.activate();
    }

    @After
    public void stop() {
        metrics.deactivate();
    }

    @Test
    public void aComponentsMetersComeAndGoWithItsBinder() {
        MeterSet connector = new MeterSet();
        LongAdder received = new LongAdder();
        received.add(7);
        connector.counter("edgeai.connector.received", "readings", received, LongAdder::sum, "connector", "coap");
        metrics.bindMeters(connector);
        assertTrue(metrics.scrape(), metrics.scrape().contains("edgeai_connector_received_total{connector=\"coap\"} 7.0"));

        // a reason first counted while bound is scraped from then on
        LongAdder malformed = new LongAdder();
        malformed.increment();
        connector.counter("edgeai.connector.rejected", "refused", malformed, LongAdder::sum, "connector", "coap",
                "reason", "malformed");
        assertTrue(metrics.scrape(), metrics.scrape().contains(
                "edgeai_connector_rejected_total{connector=\"coap\",reason=\"malformed\"} 1.0"));

        metrics.unbindMeters(connector);
        assertFalse(metrics.scrape(), metrics.scrape().contains("edgeai_connector_"));

        // the connector restarted: a new owner of the same names is read, not the old one
        MeterSet restarted = new MeterSet();
        restarted.counter("edgeai.connector.received", "readings", new LongAdder(), LongAdder::sum, "connector",
                "coap");
        metrics.bindMeters(restarted);
        assertTrue(metrics.scrape(), metrics.scrape().contains("edgeai_connector_received_total{connector=\"coap\"} 0.0"));
        assertFalse(metrics.scrape(), metrics.scrape().contains("reason=\"malformed\""));
    }

    @Test
    public void anyMicrometerBinderIsBoundAndUnbound() {
        MeterBinder jobs = registry -> Gauge.builder("edgeai.training.jobs", () -> 2).tag("state", "running")
                .register(registry);
        metrics.bindMeters(jobs);
        assertTrue(metrics.scrape(), metrics.scrape().contains("edgeai_training_jobs{state=\"running\"} 2.0"));
        metrics.unbindMeters(jobs);
        assertFalse(metrics.scrape(), metrics.scrape().contains("edgeai_training_jobs"));
    }

    @Test
    public void aBinderThatFailsLeavesTheOthersBound() {
        metrics.bindMeters(registry -> {
            throw new IllegalStateException("broken binder");
        });
        MeterSet pipeline = new MeterSet();
        pipeline.counter("edgeai.pipeline.readings", "readings", new LongAdder(), LongAdder::sum, "pipeline", "p");
        metrics.bindMeters(pipeline);
        assertTrue(metrics.scrape(), metrics.scrape().contains("edgeai_pipeline_readings_total{pipeline=\"p\"} 0.0"));
    }
}
