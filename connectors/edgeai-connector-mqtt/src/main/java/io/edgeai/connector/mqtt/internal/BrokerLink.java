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
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import java.util.Map;

/**
 * The connector's own sessions with the broker, over the in-VM acceptor: one that takes readings from the ingest
 * queue (acknowledged one by one, synchronously, only after processing) and one that publishes. Answers and refusals
 * are durable but not waited for (an answer is not a device's data); the uplink's store waits until the journal has
 * each message ({@code waitForJournal}).
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

    BrokerLink(String inVmUrl, String user, String password, boolean waitForJournal) throws Exception {
        locator = ActiveMQClient.createServerLocator(inVmUrl);
        locator.setBlockOnAcknowledge(true);
        locator.setAckBatchSize(0);
        locator.setBlockOnDurableSend(waitForJournal);
        // one message at a time into the consumer: nothing sits in a client buffer when the consumer stops
        locator.setConsumerWindowSize(0);
        locator.setReconnectAttempts(0);
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

    /** Opens the broker's in-VM door for the gateway's components, once per broker. */
    static void ensureInVmAcceptor(ActiveMQServer server) throws Exception {
        synchronized (server) {
            if (server.getRemotingService().getAcceptor(IN_VM_ACCEPTOR) == null) {
                server.getRemotingService().createAcceptor(IN_VM_ACCEPTOR,
                        IN_VM_URL + "?securityDomain=" + InternalRealm.NAME).start();
            }
        }
    }

    /** A consumer on a durable queue, created when the broker does not have it yet. */
    ClientConsumer consumer(String queue, String address, RoutingType routing) throws ActiveMQException {
        if (!ingestSession.queueQuery(SimpleString.of(queue)).isExists()) {
            ingestSession.createQueue(QueueConfiguration.of(queue).setAddress(address).setRoutingType(routing)
                    .setDurable(true));
        }
        ClientConsumer consumer = ingestSession.createConsumer(queue);
        ingestSession.start();
        return consumer;
    }

    /** Publishes bytes on a broker address, as MQTT subscribers receive them. */
    void publish(String address, byte[] body) throws ActiveMQException {
        publish(address, body, Map.of());
    }

    /** Publishes bytes with string properties. */
    synchronized void publish(String address, byte[] body, Map<String, String> properties) throws ActiveMQException {
        ClientMessage message = publishSession.createMessage(Message.BYTES_TYPE, true);
        properties.forEach(message::putStringProperty);
        message.getBodyBuffer().writeBytes(body);
        producer.send(address, message);
    }

    @Override
    public void close() {
        locator.close();
    }
}
