package io.edgeai.connector.mqtt.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.journal.Journal;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.protocol.SessionCallback;
import org.apache.activemq.artemis.spi.core.remoting.ReadyListener;

/**
 * A consumer inside the broker on one of its durable queues, for one thread that takes the messages in order,
 * answers on the devices' topics and acknowledges each after processing (committed per burst), all by direct calls on
 * the broker's session, as the broker's own protocol handlers do. A core client over the in-VM connection does the
 * same with a hop through an executor for each delivery, answer and acknowledgement (and credits); on a 2-core gateway
 * those hand-offs cost more than the reading's processing (docs/measurements.md, MQTT).
 *
 * <p>The broker hands over at most {@link #AHEAD} messages, about {@link #AHEAD_BYTES}, ahead of the one in hand. What
 * was handed over and not acknowledged goes back to the head of the queue, in order, when the feed closes (a stop, an
 * update of the connector) or its connection fails: at least once, never lost.
 */
final class QueueFeed implements SessionCallback, AutoCloseable {

    /** Messages the broker may hand over before the taker has them in hand... */
    static final int AHEAD = 128;
    /**
     * ...and their bytes (the core client's default window), counted before each hand-over: a message larger than that
     * still comes, once less is in hand.
     */
    static final long AHEAD_BYTES = 1024 * 1024;
    /**
     * Acknowledgements committed together at most, while further messages wait to be taken; one waiting for nothing is
     * committed at once (docs/measurements.md, MQTT QoS 1 with 32 devices: +9 % of readings per second).
     */
    static final int ACKS_PER_COMMIT = 64;
    private static final long CONSUMER_ID = 0;

    private final ServerSession session;
    private final ServerConsumer consumer;
    private final BlockingQueue<MessageReference> handed = new LinkedBlockingQueue<>();
    private final AtomicLong handedBytes = new AtomicLong();
    private volatile boolean starved;
    private volatile String lost;
    private final ActiveMQServer server;
    /** Acknowledged since the journal's buffer was last written out; the taker's thread only. */
    private boolean unwritten;
    /** Processed and not acknowledged to the broker yet, in order; the taker's thread only. */
    private final long[] processed = new long[ACKS_PER_COMMIT];
    private int pending;

    /**
     * A feed from {@code queue} (which must exist) on a session of its own, carried by {@code connection} (the
     * connector's in-VM connection: the session closes with it).
     */
    QueueFeed(ActiveMQServer server, RemotingConnection connection, String queue) throws Exception {
        session = server.createInternalSession("edgeai-feed-" + queue + "-" + java.util.UUID.randomUUID(),
                Integer.MAX_VALUE, connection, true, false, false, false, null, this, false,
                server.newOperationContext(), null, null, false);
        this.server = server;
        try {
            consumer = session.createConsumer(CONSUMER_ID, SimpleString.of(queue), null, false, false, -1);
            session.start();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /**
     * The next message, waiting at most {@code timeout}; null when none came. Throws when the broker closed the feed
     * (the broker stopped, the queue was deleted).
     */
    MessageReference take(long timeout, TimeUnit unit) throws InterruptedException, FeedLostException {
        MessageReference next = handed.poll(timeout, unit);
        if (next == null) {
            if (lost != null) {
                throw new FeedLostException(lost);
            }
            if (unwritten) {
                writeOut();
            }
            return null;
        }
        handedBytes.addAndGet(-size(next));
        if (starved && room()) {
            starved = false;
            consumer.promptDelivery();
        }
        return next;
    }

    /**
     * The message was processed: it leaves the queue (and its journal record is deleted) once acknowledged to the
     * broker and committed. A durable message's acknowledgement is committed at once when no further message waits to
     * be taken, else with the next ones (at most {@link #ACKS_PER_COMMIT} together), or at
     * {@link #commitAcknowledgements()} or {@link #close()}: one broker transaction for a burst of readings instead of
     * one each. Until then a crash gives the message back (at least once). A non-durable one's (QoS 0) is committed at
     * once.
     */
    void acknowledge(MessageReference reference) throws Exception {
        processed[pending++] = reference.getMessageID();
        // a non-durable message's (QoS 0) acknowledgement writes nothing: gathering them gains nothing
        if (pending == ACKS_PER_COMMIT || handed.isEmpty() || !reference.getMessage().isDurable()) {
            commitAcknowledgements();
        }
    }

    /**
     * Acknowledges and commits what was processed and not committed yet (also when the taker is about to wait: an
     * overloaded model). The acknowledgements go to the broker together, just before their commit: each appends a
     * record through the journal's executor, and in a row they find it running instead of waking it one by one
     * (docs/measurements.md, seventh session).
     */
    void commitAcknowledgements() throws Exception {
        if (pending > 0) {
            int count = pending;
            pending = 0;
            for (int i = 0; i < count; i++) {
                session.individualAcknowledge(CONSUMER_ID, processed[i]);
            }
            session.commit();
            unwritten = true;
        }
    }

    /**
     * Acknowledgements are journaled in a transaction of the broker's without a sync of their own
     * ({@code journal-sync-transactional} false in etc/artemis.xml) and can wait in the journal's buffer for the next
     * sync; when the feed runs dry they are written to the file, so that a JVM killed while the gateway is idle does
     * not deliver those messages once more (a power cut before the next sync still may: at least once).
     */
    private void writeOut() {
        unwritten = false;
        try {
            Journal journal = server.getStorageManager().getMessageJournal();
            if (journal != null) {
                journal.flush();
            }
        } catch (Exception e) {
            // the broker is stopping (which writes the buffer out itself) or its journal failed (which it reports)
        }
    }

    /** Publishes bytes on an address as MQTT subscribers receive them, not journaled (an answer, a refusal). */
    void publish(String address, byte[] body) throws Exception {
        CoreMessage message = new CoreMessage().initBuffer(body.length + 64);
        message.setType(Message.BYTES_TYPE);
        message.setDurable(false);
        message.setTimestamp(System.currentTimeMillis());
        message.setAddress(address);
        message.getBodyBuffer().writeBytes(body);
        session.send(message, false, null);
    }

    /**
     * Stops deliveries and gives back to the queue, at its head and in order, every message handed over and not
     * acknowledged.
     */
    @Override
    public void close() {
        handed.clear();
        handedBytes.set(0);
        try {
            commitAcknowledgements(); // what was processed leaves the queue; the rest goes back
        } catch (Exception e) {
            // the broker already closed the session (it stopped): it gives everything back
        }
        // each on its own: a consumer the broker already removed (its queue deleted) must not keep the session open
        try {
            session.closeConsumer(CONSUMER_ID);
        } catch (Exception e) {
            // the broker already closed it (it stopped, or the queue went), and gave the messages back then
        }
        try {
            session.close(false);
        } catch (Exception e) {
            // the broker already closed the session (it stopped)
        }
    }

    // the broker's side: called on its threads

    @Override
    public boolean hasCredits(ServerConsumer consumer) {
        return hasCredits(consumer, null);
    }

    @Override
    public boolean hasCredits(ServerConsumer consumer, MessageReference reference) {
        if (room()) {
            return true;
        }
        starved = true;
        return room(); // the taker may have taken one meanwhile without seeing starved
    }

    private boolean room() {
        return handed.size() < AHEAD && handedBytes.get() < AHEAD_BYTES;
    }

    private static long size(MessageReference reference) {
        return reference.getMessage().getEncodeSize();
    }

    @Override
    public int sendMessage(MessageReference reference, ServerConsumer consumer, int deliveryCount) {
        handedBytes.addAndGet(size(reference));
        handed.add(reference);
        return 1;
    }

    @Override
    public int sendLargeMessage(MessageReference reference, ServerConsumer consumer, long bodySize,
            int deliveryCount) {
        return sendMessage(reference, consumer, deliveryCount); // taken as a whole: large messages are not supported
    }

    @Override
    public int sendLargeMessageContinuation(ServerConsumer consumer, byte[] body, boolean continues,
            boolean requiresResponse) {
        return 0;
    }

    @Override
    public boolean updateDeliveryCountAfterCancel(ServerConsumer consumer, MessageReference reference,
            boolean failed) {
        return false;
    }

    @Override
    public void afterDelivery() {
        // nothing to flush: the taker has the message
    }

    @Override
    public boolean isWritable(ReadyListener listener, Object protocolContext) {
        return true;
    }

    @Override
    public void sendProducerCreditsMessage(int credits, SimpleString address) {
        // sends inside the broker need no producer credits
    }

    @Override
    public void sendProducerCreditsFailMessage(int credits, SimpleString address) {
        // as above
    }

    @Override
    public void browserFinished(ServerConsumer consumer) {
        // not a browser
    }

    @Override
    public void closed() {
        lost = "the broker closed the session";
    }

    @Override
    public void disconnect(ServerConsumer consumer, String reason) {
        lost = "the broker closed the consumer: " + reason;
    }

    /** The broker closed the feed. */
    static final class FeedLostException extends Exception {
        private static final long serialVersionUID = 1L;

        FeedLostException(String message) {
            super(message);
        }
    }
}
