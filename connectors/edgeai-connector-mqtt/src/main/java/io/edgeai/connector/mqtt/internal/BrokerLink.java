package io.edgeai.connector.mqtt.internal;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.client.impl.ClientSessionInternal;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import java.util.Map;

/**
 * The connector's own connection to the broker, over the in-VM acceptor: a session that creates queues and consumes
 * the uplink's stores (each message acknowledged only after processing), one that publishes, and the sessions inside the
 * broker that feed readings and labels to the ingest ({@link #feed}). Answers and refusals are not journaled (an answer
 * is not a device's data); {@link Publishers} (the outboxes) wait until the broker has synced each durable message.
 */
final class BrokerLink implements AutoCloseable {

    /** The in-VM acceptor the gateway's own components use; only code in this JVM can reach it. */
    static final String IN_VM_ACCEPTOR = "edgeai-internal";
    static final String IN_VM_URL = "vm://1883";

    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession ingestSession;
    private final ClientSession publishSession;
    private final ClientProducer producer;

    private final String user;
    private final String password;
    private final String inVmUrl;
    /** The {@link Publishers}' locators, closed with the link. */
    private final java.util.List<ServerLocator> waitingLocators = new java.util.concurrent.CopyOnWriteArrayList<>();

    BrokerLink(String inVmUrl, String user, String password) throws Exception {
        this.user = user;
        this.password = password;
        this.inVmUrl = inVmUrl;
        locator = locator(inVmUrl, false);
        ServerLocator created = locator;
        try {
            factory = locator.createSessionFactory();
            ingestSession = factory.createSession(user, password, false, true, true, false, 0);
            publishSession = factory.createSession(user, password, false, true, true, false, 0);
            producer = publishSession.createProducer();
        } catch (Exception e) {
            created.close();
            throw e;
        }
    }

    /**
     * A locator on the in-VM door. Each acknowledgement leaves at once but is not waited for: waiting for the journal
     * would serialize the ingest; a stop still writes them (the session closes after them, in order), so only a crash
     * between processing and acknowledgement makes the broker deliver one again. {@code waitForDurableSends}: a durable
     * send returns once the broker has synced it in its journal ({@code journal-sync-non-transactional}, true in
     * etc/artemis.xml); otherwise it returns at once (the broker still syncs it).
     */
    private static ServerLocator locator(String url, boolean waitForDurableSends) throws Exception {
        ServerLocator locator = ActiveMQClient.createServerLocator(url);
        locator.setBlockOnAcknowledge(false);
        locator.setBlockOnDurableSend(waitForDurableSends);
        locator.setAckBatchSize(0);
        locator.setReconnectAttempts(0);
        return locator;
    }

    /** Opens the broker's in-VM door for the gateway's components, once per broker. */
    static void ensureInVmAcceptor(ActiveMQServer server) throws Exception {
        synchronized (server) {
            if (server.getRemotingService().getAcceptor(IN_VM_ACCEPTOR) == null) {
                server.getRemotingService().createAcceptor(IN_VM_ACCEPTOR,
                        IN_VM_URL + "?securityDomain=" + InternalRealm.NAME).start();
            }
        }
    }

    /**
     * A consumer on a durable queue, created when the broker does not have it yet. {@code prefetch}: let the broker
     * send ahead (what was sent ahead and not acknowledged returns to the queue when the consumer closes); without
     * it, one message at a time, so that the queue's own count sees every message not yet in hand.
     */
    ClientConsumer consumer(String queue, String address, RoutingType routing, boolean prefetch)
            throws ActiveMQException {
        ensureQueue(queue, address, routing);
        ClientConsumer consumer = ingestSession.createConsumer(SimpleString.of(queue), null,
                prefetch ? ActiveMQClient.DEFAULT_CONSUMER_WINDOW_SIZE : 0, ActiveMQClient.DEFAULT_CONSUMER_MAX_RATE,
                false);
        ingestSession.start();
        return consumer;
    }

    /** Creates a durable queue when the broker does not have it yet. */
    void ensureQueue(String queue, String address, RoutingType routing) throws ActiveMQException {
        if (!ingestSession.queueQuery(SimpleString.of(queue)).isExists()) {
            ingestSession.createQueue(QueueConfiguration.of(queue).setAddress(address).setRoutingType(routing)
                    .setDurable(true));
        }
    }

    /**
     * A feed from a durable queue through a session inside the broker ({@link QueueFeed}), carried by this link's
     * in-VM connection: it closes with the link at the latest.
     */
    QueueFeed feed(ActiveMQServer server, String queue, String address, RoutingType routing) throws Exception {
        ensureQueue(queue, address, routing);
        String name = ((ClientSessionInternal) ingestSession).getName();
        var serverSide = server.getSessionByID(name);
        if (serverSide == null) {
            throw new ActiveMQException("the broker does not know the connector's session " + name);
        }
        return new QueueFeed(server, serverSide.getRemotingConnection(), queue);
    }

    /**
     * Publishes an answer on a broker address, as MQTT subscribers receive it: not written to the journal (an answer
     * is derived from a reading that is already safe; keeping it off the disk saves a sync per reading and flash
     * wear), so a subscriber gets it at once.
     */
    void publish(String address, byte[] body) throws ActiveMQException {
        publish(address, body, Map.of(), false);
    }

    /**
     * Publishes bytes with properties (strings, numbers) without waiting for the broker: a durable one is journaled
     * and synced, but maybe not yet when this returns (the model notices, which the connector publishes again at each
     * start). Durable messages that must be on disk when the call returns go through {@link Publishers}. A Netty thread
     * may publish here (an unknown topic's error): nothing blocks.
     */
    synchronized void publish(String address, byte[] body, Map<String, ?> properties, boolean durable)
            throws ActiveMQException {
        send(publishSession, producer, address, body, properties, durable);
    }

    private static void send(ClientSession session, ClientProducer producer, String address, byte[] body,
            Map<String, ?> properties, boolean durable) throws ActiveMQException {
        ClientMessage message = session.createMessage(Message.BYTES_TYPE, durable);
        properties.forEach(message::putObjectProperty);
        message.getBodyBuffer().writeBytes(body);
        producer.send(address, message);
    }

    /**
     * Sessions of their own for publishing from several threads at once, each durable publish returning once the broker
     * has synced it: durable messages sent concurrently share the journal's syncs (the broker writes what arrives
     * within its buffer timeout in one go), where one session would wait for a sync per message. A publish takes a free
     * session (waiting for one when all are busy).
     */
    final class Publishers {
        private final java.util.concurrent.BlockingQueue<Object[]> free;

        Publishers(int count) throws Exception {
            free = new java.util.concurrent.ArrayBlockingQueue<>(count);
            ServerLocator waiting = locator(inVmUrl, true);
            waitingLocators.add(waiting);
            ClientSessionFactory sessions = waiting.createSessionFactory();
            for (int i = 0; i < count; i++) {
                ClientSession session = sessions.createSession(user, password, false, true, true, false, 0);
                free.add(new Object[] {session, session.createProducer()});
            }
        }

        void publish(String address, byte[] body, Map<String, ?> properties, boolean durable)
                throws ActiveMQException, InterruptedException {
            Object[] publisher = free.take();
            try {
                send((ClientSession) publisher[0], (ClientProducer) publisher[1], address, body, properties, durable);
            } finally {
                free.add(publisher);
            }
        }
    }

    @Override
    public void close() {
        waitingLocators.forEach(ServerLocator::close);
        locator.close();
    }
}
