package io.edgeai.connector.mqtt.internal;

import io.edgeai.api.outbox.Outbox;
import io.edgeai.api.outbox.Outboxes;
import java.io.IOException;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The gateway's outboxes, each a durable queue {@code edgeai.outbox.<name>} of the embedded broker, reached through the
 * in-VM acceptor with this bundle's own realm (devices' accounts cannot see them: etc/artemis.xml gives {@code edgeai.#}
 * to the gateway alone). The MQTT uplink keeps its results the same way.
 */
@Component(service = Outboxes.class)
public final class BrokerOutboxes implements Outboxes {

    private final ActiveMQServer server;
    private final InternalRealm realm;

    @Activate
    public BrokerOutboxes(@Reference ActiveMQServer server, @Reference InternalRealm realm) {
        this.server = server;
        this.realm = realm;
    }

    @Override
    public Outbox open(String name, long maxMessages, Overflow overflow, int batch) throws IOException {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,100}")) {
            throw new IllegalArgumentException("an outbox name is letters, digits, '-' and '_', not '" + name + "'");
        }
        return open(server, realm, "edgeai.outbox." + name, maxMessages, overflow, batch);
    }

    static Outbox open(ActiveMQServer server, InternalRealm realm, String queue, long maxMessages, Overflow overflow,
            int batch) throws IOException {
        BrokerLink link = null;
        try {
            BrokerLink.ensureInVmAcceptor(server);
            link = realm.link();
            return new BrokerOutbox(server, link, queue, maxMessages, overflow, batch);
        } catch (Exception e) {
            if (link != null) {
                link.close();
            }
            throw new IOException("cannot use the local broker for " + queue + ": " + e.getMessage(), e);
        }
    }
}
