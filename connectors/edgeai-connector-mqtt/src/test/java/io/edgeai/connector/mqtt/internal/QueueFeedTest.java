package io.edgeai.connector.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The ingest's feed against a real broker (in memory): order, the bound on what is handed ahead, giving back. */
public class QueueFeedTest {

    private static final String QUEUE = "test.ingest";
    private ActiveMQServer server;
    private BrokerLink link;
    private final List<QueueFeed> feeds = new ArrayList<>();

    @Before
    public void startBroker() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName(),
                java.util.Map.of("serverId", 7)));
        server = new ActiveMQServerImpl(config);
        server.start();
        link = new BrokerLink("vm://7", null, null);
    }

    @After
    public void stopBroker() throws Exception {
        feeds.forEach(QueueFeed::close);
        link.close();
        server.stop();
    }

    private QueueFeed feed() throws Exception {
        QueueFeed feed = link.feed(server, QUEUE, QUEUE, RoutingType.ANYCAST);
        feeds.add(feed);
        return feed;
    }

    private void publish(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            link.publish(QUEUE, ("m" + i).getBytes(StandardCharsets.UTF_8), java.util.Map.of(), true);
        }
    }

    private static String body(MessageReference reference) {
        var buffer = reference.getMessage().toCore().getReadOnlyBodyBuffer();
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private Queue queue() {
        return server.locateQueue(SimpleString.of(QUEUE));
    }

    /**
     * Waits up to 10 s for a count of the queue's to reach {@code expected}. Judges the value it saw: the broker's
     * counts may be off by one for a moment while it hands a message over.
     */
    private static void await(java.util.function.LongSupplier count, long expected) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long seen = count.getAsLong();
        while (seen != expected && System.nanoTime() < until) {
            Thread.onSpinWait();
            seen = count.getAsLong();
        }
        assertEquals(expected, seen);
    }

    private void awaitDelivering(int expected) {
        await(() -> queue().getDeliveringCount(), expected);
    }

    /**
     * Waits until all {@code count} messages in the queue were handed over, and the broker's count says so too: a
     * message being handed over is counted as both waiting and delivering for a moment.
     */
    private void awaitAllHanded(int count) {
        awaitDelivering(count);
        await(() -> queue().getMessageCount(), count);
    }

    /** Publishes without waiting for the broker: waits until the queue has them all (taken or not). */
    private void publishAndAwait(int count) throws Exception {
        publish(count);
        await(() -> queue().getMessageCount(), count);
    }

    @Test
    public void takesInOrderAndHandsAtMostAheadThenMore() throws Exception {
        QueueFeed feed = feed();
        int total = QueueFeed.AHEAD * 2 + 10;
        publishAndAwait(total);
        awaitDelivering(QueueFeed.AHEAD);
        for (int i = 0; i < total; i++) {
            MessageReference next = feed.take(10, TimeUnit.SECONDS);
            assertEquals("m" + i, body(next));
            feed.acknowledge(next);
        }
        assertNull(feed.take(50, TimeUnit.MILLISECONDS));
        awaitDelivering(0);
        assertEquals(0, queue().getMessageCount());
    }

    @Test
    public void handsAheadAtMostAMegabyteButAnyMessageAlone() throws Exception {
        QueueFeed feed = feed();
        String pad = "x".repeat(300 * 1024);
        // as the broker's MQTT protocol stores them: whole in memory (a core client would send these as large messages)
        for (int i = 0; i < 6; i++) {
            feed.publish(QUEUE, ("m" + i + pad).getBytes(StandardCharsets.UTF_8));
        }
        awaitDelivering(4); // 0, 300, 600 and 900 KB handed before each: below 1 MB
        for (int i = 0; i < 6; i++) {
            MessageReference next = feed.take(10, TimeUnit.SECONDS);
            assertEquals("m" + i + pad, body(next));
            feed.acknowledge(next);
        }
        feed.publish(QUEUE, ("big" + "x".repeat(2 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8));
        MessageReference big = feed.take(10, TimeUnit.SECONDS);
        assertEquals(2 * 1024 * 1024 + 3, big.getMessage().toCore().getBodyBufferSize());
        feed.acknowledge(big);
        awaitDelivering(0);
    }

    @Test
    public void givesBackWhatWasNotAcknowledgedInOrderOnClose() throws Exception {
        QueueFeed first = feed();
        publishAndAwait(5);
        MessageReference m0 = first.take(10, TimeUnit.SECONDS);
        first.acknowledge(m0);
        assertEquals("m1", body(first.take(10, TimeUnit.SECONDS))); // taken, never acknowledged
        first.close();
        awaitDelivering(0);
        assertEquals(4, queue().getMessageCount());

        QueueFeed second = feed();
        for (int i = 1; i < 5; i++) {
            MessageReference next = second.take(10, TimeUnit.SECONDS);
            assertEquals("m" + i, body(next));
            second.acknowledge(next);
        }
        awaitDelivering(0);
        assertEquals(0, queue().getMessageCount());
    }

    @Test
    public void commitsAcknowledgementsPerBurstAndWhenNothingWaits() throws Exception {
        QueueFeed feed = feed();
        int count = QueueFeed.ACKS_PER_COMMIT + 10;
        publishAndAwait(count);
        awaitAllHanded(count); // all handed over: further messages wait while the first ones are acknowledged
        for (int i = 0; i < QueueFeed.ACKS_PER_COMMIT - 1; i++) {
            feed.acknowledge(feed.take(10, TimeUnit.SECONDS));
        }
        assertEquals("acknowledged, not committed yet", count, queue().getMessageCount());
        feed.acknowledge(feed.take(10, TimeUnit.SECONDS));
        await(() -> queue().getMessageCount(), 10); // a burst's acknowledgements committed together
        for (int i = 0; i < 9; i++) {
            feed.acknowledge(feed.take(10, TimeUnit.SECONDS));
        }
        assertEquals(10, queue().getMessageCount());
        feed.acknowledge(feed.take(10, TimeUnit.SECONDS));
        await(() -> queue().getMessageCount(), 0); // the last one waits for nothing: committed at once

        publishAndAwait(3);
        awaitAllHanded(3);
        feed.acknowledge(feed.take(10, TimeUnit.SECONDS));
        assertEquals(3, queue().getMessageCount());
        feed.commitAcknowledgements(); // before a wait (an overloaded model)
        await(() -> queue().getMessageCount(), 2);
    }

    @Test
    public void commitsANonDurableMessagesAcknowledgementAtOnce() throws Exception {
        QueueFeed feed = feed();
        for (int i = 0; i < 3; i++) { // QoS 0 readings: nothing of theirs is journaled, so nothing to gather
            link.publish(QUEUE, ("q" + i).getBytes(StandardCharsets.UTF_8), java.util.Map.of(), false);
        }
        await(() -> queue().getMessageCount(), 3);
        awaitDelivering(3);
        feed.acknowledge(feed.take(10, TimeUnit.SECONDS)); // two more wait, yet this one leaves the queue now
        await(() -> queue().getMessageCount(), 2);
    }

    @Test
    public void answersReachTheAddress() throws Exception {
        server.createQueue(QueueConfiguration.of("answers").setAddress("edgeai.predictions.d1")
                .setRoutingType(RoutingType.MULTICAST).setDurable(false));
        QueueFeed feed = feed();
        feed.publish("edgeai.predictions.d1", "{\"score\":1}".getBytes(StandardCharsets.UTF_8));
        Queue answers = server.locateQueue(SimpleString.of("answers"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (answers.getMessageCount() == 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(1, answers.getMessageCount());
        assertNull(feed.take(10, TimeUnit.MILLISECONDS));
    }

    @Test
    public void closesItsSessionAfterTheQueueWasDeleted() throws Exception {
        int before = server.getSessions().size();
        QueueFeed feed = feed();
        assertEquals(before + 1, server.getSessions().size());
        server.destroyQueue(SimpleString.of(QUEUE), null, false); // an operator deletes the queue: the consumer goes
        feed.close();
        assertEquals(before, server.getSessions().size());
    }

    @Test(expected = QueueFeed.FeedLostException.class)
    public void saysSoWhenTheBrokerGoes() throws Exception {
        QueueFeed feed = feed();
        server.stop();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            feed.take(100, TimeUnit.MILLISECONDS);
        }
        fail("the feed did not say the broker had gone");
    }
}
