package io.edgeai.fleet.kafka.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.outbox.Outbox;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.After;
import org.junit.Test;

/**
 * The forwarder against Kafka's own MockProducer (answers given by the test) and an outbox in memory: what the
 * cluster acknowledged leaves the outbox, in order; a failure gives back the rest, which comes again first; a message
 * too large for the cluster is dropped and counted instead of blocking the outbox.
 */
public class FleetForwarderTest {

    private final MemoryOutbox outbox = new MemoryOutbox(3);
    private final List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder tooLarge = new LongAdder();
    private FleetForwarder forwarder;

    @After
    public void stop() throws Exception {
        if (forwarder != null) {
            assertTrue("stopped", forwarder.stop(5000));
        }
    }

    private void start() {
        forwarder = new FleetForwarder(outbox, () -> {
            MockProducer<byte[], byte[]> producer = new MockProducer<>(false, new ByteArraySerializer(),
                    new ByteArraySerializer());
            synchronized (producers) {
                producers.add(producer);
                producers.notifyAll();
            }
            return producer;
        }, kept -> new ProducerRecord<>("edgeai.results", kept.key().getBytes(StandardCharsets.UTF_8),
                kept.body()), 50, forwarded, tooLarge);
        forwarder.start();
    }

    /** The n-th producer the forwarder made, once it has sent {@code count} records. */
    private MockProducer<byte[], byte[]> producer(int n, int count) throws InterruptedException {
        long until = System.currentTimeMillis() + 10_000;
        synchronized (producers) {
            while (producers.size() <= n || producers.get(n).history().size() < count) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("producer " + n + " did not send " + count + " records: " + producers);
                }
                producers.wait(Math.min(left, 20));
            }
            return producers.get(n);
        }
    }

    private static List<String> bodies(MockProducer<byte[], byte[]> producer) {
        return producer.history().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    public void acknowledgedMessagesLeaveTheOutboxInOrder() throws Exception {
        for (int i = 0; i < 3; i++) {
            outbox.put("d1", ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        start();
        MockProducer<byte[], byte[]> producer = producer(0, 3);
        assertEquals(List.of("m0", "m1", "m2"), bodies(producer));
        assertEquals("kept until acknowledged", 3, outbox.size());
        while (producer.completeNext()) {
            // the cluster acknowledges each
        }
        outbox.awaitSize(0);
        assertEquals(3, forwarded.sum());
    }

    @Test
    public void aFailureGivesBackWhatWasNotAcknowledgedAndItComesAgainFirst() throws Exception {
        for (int i = 0; i < 3; i++) {
            outbox.put("d1", ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        start();
        MockProducer<byte[], byte[]> first = producer(0, 3);
        assertTrue(first.completeNext()); // m0 acknowledged
        assertTrue(first.errorNext(new NetworkException("the cluster went away"))); // m1 not
        assertTrue(first.completeNext()); // m2 was taken, but after m1: it is sent again, after m1
        MockProducer<byte[], byte[]> second = producer(1, 2);
        assertEquals(List.of("m1", "m2"), bodies(second));
        assertFalse("the failed producer is dropped", forwarder.connected() && first == second);
        while (second.completeNext()) {
            // back
        }
        outbox.awaitSize(0);
        assertEquals(List.of("m0", "m1", "m2"), outbox.delivered);
    }

    @Test
    public void aMessageTooLargeForTheClusterIsDroppedAndCounted() throws Exception {
        outbox.put("d1", "huge".getBytes(StandardCharsets.UTF_8));
        outbox.put("d1", "next".getBytes(StandardCharsets.UTF_8));
        start();
        MockProducer<byte[], byte[]> producer = producer(0, 2);
        assertTrue(producer.errorNext(new RecordTooLargeException("larger than max.message.bytes")));
        assertTrue(producer.completeNext());
        outbox.awaitSize(0);
        assertEquals(1, tooLarge.sum());
        assertEquals(1, forwarded.sum());
        assertTrue("one producer: no retry", producers.size() == 1);
    }

    /** An outbox in memory with the contract of {@link Outbox}. */
    static final class MemoryOutbox implements Outbox {

        private final int batch;
        private final List<Kept> kept = new ArrayList<>();
        private int taken;
        private long next;
        final List<String> delivered = new ArrayList<>();

        MemoryOutbox(int batch) {
            this.batch = batch;
        }

        @Override
        public synchronized boolean put(String key, byte[] body) {
            kept.add(new Kept(next++, key, body));
            notifyAll();
            return true;
        }

        @Override
        public synchronized List<Kept> take(long waitMillis) throws java.io.IOException {
            if (taken == kept.size()) {
                try {
                    wait(waitMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
            List<Kept> out = new ArrayList<>(kept.subList(taken, Math.min(kept.size(), taken + batch)));
            taken += out.size();
            return out;
        }

        @Override
        public synchronized void delivered(Kept last) {
            while (!kept.isEmpty()) {
                Kept first = kept.remove(0);
                taken--;
                delivered.add(new String(first.body(), StandardCharsets.UTF_8));
                if (first.seq() == last.seq()) {
                    break;
                }
            }
            notifyAll();
        }

        @Override
        public synchronized void retry() {
            taken = 0;
        }

        @Override
        public synchronized long size() {
            return kept.size();
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public void close() {
        }

        synchronized void awaitSize(int size) throws InterruptedException {
            long until = System.currentTimeMillis() + 10_000;
            while (kept.size() != size) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("outbox holds " + kept.size() + ", not " + size);
                }
                wait(left);
            }
        }
    }
}
