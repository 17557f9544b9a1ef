package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.reading.ResultListener;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * bundle:update of a connector, twice, while a device keeps sending readings with a sequence number: every answer is
 * an acknowledgement or a retryable "busy" (never an error or a wrong answer), every reading that was acknowledged went
 * through direct:edgeai-telemetry, none twice, and the connector serves again after.
 */
public abstract class ConnectorHotUpdateSupport extends EdgeAiTestSupport {

    private static final int REQUESTS = 240;

    /** The connector's name ({@code connector.name}) and bundle. */
    protected abstract String connectorName();

    protected abstract String bundleName();

    /** What a device got for one reading. */
    protected enum Kind {
        /** The reading was taken: the device may forget it. */
        ACKNOWLEDGED,
        /** Not taken, and the device was told to try again (HTTP 503 with Retry-After, CoAP 5.03, no ack yet). */
        RETRYABLE,
        /** Anything else: an error, a wrong answer. Never allowed. */
        UNEXPECTED
    }

    /** One answer and, when unexpected, what it was. */
    protected record Answer(Kind kind, String text) {
    }

    /** Sends reading {@code seq} for device {@code device} and says what the connector answered. */
    protected abstract Answer send(Connector connector, String device, int seq) throws Exception;

    @Test
    public void acknowledgedReadingsSurviveUpdatesOfTheConnector() throws Exception {
        Connector connector = waitForService(Connector.class, "(connector.name=" + connectorName() + ")");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> connector.health().status() == Status.UP);
        String device = "hot-" + connectorName();

        Set<Integer> processed = ConcurrentHashMap.newKeySet();
        Set<Integer> processedTwice = ConcurrentHashMap.newKeySet();
        ResultListener counter = result -> {
            Double seq = result.reading().values().get("seq");
            if (device.equals(result.deviceId()) && seq != null && !processed.add(seq.intValue())) {
                processedTwice.add(seq.intValue());
            }
        };
        ServiceRegistration<ResultListener> registration =
                bundleContext.registerService(ResultListener.class, counter, null);

        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        java.util.List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger retryable = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        Future<?> sending = sender.submit(() -> {
            for (int seq = 0; seq < REQUESTS; seq++) {
                Answer answer = send(connector, device, seq);
                switch (answer.kind()) {
                    case ACKNOWLEDGED -> acknowledged.add(seq);
                    case RETRYABLE -> retryable.incrementAndGet();
                    default -> unexpected.add(seq + ": " + answer.text());
                }
            }
            return null;
        });

        Bundle bundle = bundle(bundleName());
        for (int update = 1; update <= 2; update++) {
            int target = update * REQUESTS / 3;
            int before = update;
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> org.junit.Assert.assertTrue("before update "
                    + before + ": " + acknowledged.size() + " acknowledged of " + target + " wanted, " + retryable.get()
                    + " told to retry, unexpected " + unexpected, acknowledged.size() >= target));
            executeCommand("bundle:update " + bundle.getBundleId());
        }
        sending.get(10, TimeUnit.MINUTES);
        sender.shutdown();
        // a broker acknowledges on storing, before the gateway processed: give the queue time to drain
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> processed.containsAll(acknowledged));
        } catch (org.awaitility.core.ConditionTimeoutException stillMissing) {
            // reported below, with the numbers
        }
        registration.unregister();

        Set<Integer> lost = ConcurrentHashMap.newKeySet();
        lost.addAll(acknowledged);
        lost.removeAll(processed);
        System.out.printf("%s hot update: %d sent, %d acknowledged, %d told to retry, %d processed%n",
                connectorName(), REQUESTS, acknowledged.size(), retryable.get(), processed.size());
        assertEquals("answers other than an acknowledgement or a retryable busy", java.util.List.of(), unexpected);
        assertEquals("acknowledged but never processed", Set.of(), lost);
        assertEquals("processed twice", Set.of(), processedTwice);
        assertTrue("the connector serves after the updates: " + acknowledged.size(),
                acknowledged.size() > 2 * REQUESTS / 3);
        assertEquals(Bundle.ACTIVE, bundle.getState());
    }
}
