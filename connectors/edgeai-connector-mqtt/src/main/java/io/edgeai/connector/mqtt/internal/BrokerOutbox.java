package io.edgeai.connector.mqtt.internal;

import io.edgeai.api.outbox.Outbox;
import io.edgeai.api.outbox.Outboxes.Overflow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outbox on a durable queue of the embedded broker: a message is in the broker's journal before {@link #put}
 * returns; taken messages are the broker's deliveries to this outbox's consumer, acknowledged (cumulatively, so in
 * order) when delivered; a retry closes the consumer, which gives the broker back every message not acknowledged, to the
 * front of the queue in its order. A crash does the same at the next start.
 */
final class BrokerOutbox implements Outbox {

    /** The message property holding a message's key (the device, as the MQTT uplink named it first). */
    static final String KEY_PROPERTY = "edgeai.deviceId";
    /** Sessions that put at once (their journal syncs are shared). */
    private static final int PUBLISHERS = 8;
    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutbox.class);

    private final ActiveMQServer server;
    private final BrokerLink link;
    private final String queue;
    private final long maxMessages;
    private final Overflow overflow;
    private final int batch;
    private final LongAdder dropped = new LongAdder();
    private final List<ClientMessage> inHand = new ArrayList<>();
    private final BrokerLink.Publishers publishers;
    /**
     * Puts between their look at the count and their message in the queue: at most {@link #PUBLISHERS} (the margin
     * below the bound from which a put counts exactly), or one put alone with all the permits. Fair: a put waiting
     * for all of them is not overtaken for ever by puts taking one.
     */
    private final java.util.concurrent.Semaphore putting = new java.util.concurrent.Semaphore(PUBLISHERS, true);
    /** Puts since the last exact count. */
    private final java.util.concurrent.atomic.AtomicLong unsettled = new java.util.concurrent.atomic.AtomicLong();
    private ClientConsumer consumer;

    BrokerOutbox(ActiveMQServer server, BrokerLink link, String queue, long maxMessages, Overflow overflow, int batch)
            throws Exception {
        this.server = server;
        this.link = link;
        this.queue = queue;
        this.maxMessages = Math.max(1, maxMessages);
        this.overflow = overflow;
        this.batch = Math.max(1, batch);
        this.publishers = link.new Publishers(PUBLISHERS);
        this.consumer = consume();
    }

    /** One at a time, the broker sends nothing ahead, so the queue's own count sees every message not in hand. */
    private ClientConsumer consume() throws ActiveMQException {
        return link.consumer(queue, queue, RoutingType.ANYCAST, batch > 1);
    }

    /**
     * Puts from several threads at once share the journal's syncs. Near the bound a put goes alone (no other put in
     * flight) and counts exactly, so the bound holds with any number of putting threads.
     */
    @Override
    public boolean put(String key, byte[] body) throws IOException {
        Queue stored = server.locateQueue(SimpleString.of(queue));
        acquire(1);
        try {
            // the queue's count may lag behind puts that returned: they are added until the next exact count
            if (stored == null || stored.getMessageCount() + unsettled.get() < maxMessages - PUBLISHERS) {
                boolean kept = publish(key, body);
                unsettled.incrementAndGet();
                return kept;
            }
        } finally {
            putting.release(1);
        }
        acquire(PUBLISHERS);
        try {
            // a message sent a moment ago is counted once the queue's executor took it in
            stored.flushExecutor();
            unsettled.set(0);
            if (stored.getMessageCount() >= maxMessages) {
                if (overflow == Overflow.DROP_NEWEST) {
                    dropped.increment();
                    return false;
                }
                dropOldestOf(stored);
            }
            return publish(key, body);
        } finally {
            putting.release(PUBLISHERS);
        }
    }

    private void acquire(int permits) throws IOException {
        try {
            putting.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to keep the message", e);
        }
    }

    private boolean publish(String key, byte[] body) throws IOException {
        try {
            publishers.publish(queue, body, Map.of(KEY_PROPERTY, key), true);
            return true;
        } catch (ActiveMQException e) {
            throw new IOException("the broker did not keep the message: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the broker kept the message", e);
        }
    }

    private void dropOldestOf(Queue stored) {
        try (LinkedListIterator<MessageReference> oldest = stored.browserIterator()) {
            if (oldest.hasNext() && stored.deleteReference(oldest.next().getMessageID())) {
                dropped.increment();
            }
        } catch (Exception e) {
            LOG.warn("Outbox {} is full and its oldest message could not be dropped: {}", queue, e.getMessage());
        }
    }

    @Override
    public List<Kept> take(long waitMillis) throws IOException {
        try {
            List<Kept> taken = new ArrayList<>();
            ClientMessage next = consumer.receive(Math.max(1, waitMillis));
            while (next != null) {
                inHand.add(next);
                taken.add(kept(next));
                next = taken.size() < batch ? consumer.receiveImmediate() : null;
            }
            return taken;
        } catch (ActiveMQException e) {
            throw new IOException("lost the local store: " + e.getMessage(), e);
        }
    }

    private static Kept kept(ClientMessage message) {
        message.getBodyBuffer().resetReaderIndex();
        byte[] body = new byte[message.getBodyBuffer().readableBytes()];
        message.getBodyBuffer().readBytes(body);
        String key = message.getStringProperty(KEY_PROPERTY);
        return new Kept(message.getMessageID(), key == null ? "unknown" : key, body);
    }

    @Override
    public void delivered(Kept last) throws IOException {
        for (int i = 0; i < inHand.size(); i++) {
            if (inHand.get(i).getMessageID() == last.seq()) {
                try {
                    inHand.get(i).acknowledge(); // and every message before it
                } catch (ActiveMQException e) {
                    throw new IOException("lost the local store: " + e.getMessage(), e);
                }
                inHand.subList(0, i + 1).clear();
                return;
            }
        }
        throw new IllegalArgumentException("message " + last.seq() + " is not in hand");
    }

    @Override
    public void retry() throws IOException {
        try {
            consumer.close();
            inHand.clear();
            consumer = consume();
        } catch (ActiveMQException e) {
            throw new IOException("lost the local store: " + e.getMessage(), e);
        }
    }

    @Override
    public long size() {
        Queue stored = server.locateQueue(SimpleString.of(queue));
        if (stored == null) {
            return 0;
        }
        stored.flushExecutor();
        return stored.getMessageCount();
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void close() {
        link.close();
    }
}
