package io.edgeai.connector.mqtt.internal;

import io.edgeai.api.reading.RejectReason;
import io.edgeai.connector.support.ConnectorCounters;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding;
import org.apache.activemq.artemis.core.security.SecurityAuth;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps devices apart on the broker: a device account publishes readings and labels only for its own devices and
 * subscribes only to its own devices' results and refusals, topic by topic, never with a wildcard over other devices
 * ({@link DeviceAccounts} says which devices are an account's). It also refuses a login that would take over another
 * account's persistent session (its subscriptions) by reusing its client id. Accounts with the role
 * {@value #APP_ROLE}, the broker administrators and the connector itself are not limited.
 *
 * <p>Refusals are the broker's own authorization answers: MQTT 5 gets PUBACK / SUBACK 0x87 (not authorized), MQTT 3.1.1
 * a SUBACK 0x80 failure or, for a publish, a closed connection ([MQTT-3.3.5-2]). Each is counted as
 * {@code unauthorized}.
 */
final class DeviceGuard implements ActiveMQServerPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceGuard.class);
    static final String APP_ROLE = "edgeai-app";
    private static final Set<String> UNLIMITED = Set.of(APP_ROLE, "edgeai-broker-admin", InternalRealm.ROLE);

    private final ActiveMQServer server;
    private final Topics topics;
    private final DeviceAccounts accounts;
    private final ConnectorCounters counters;
    /** Queues that belong to an account, by name, sorted: the queues of one client id are a range. */
    private final ConcurrentSkipListMap<String, String> owners = new ConcurrentSkipListMap<>();

    DeviceGuard(ActiveMQServer server, Topics topics, DeviceAccounts accounts, ConnectorCounters counters) {
        this.server = server;
        this.topics = topics;
        this.accounts = accounts;
        this.counters = counters;
    }

    /** Publishes: to edgeai/telemetry/{id} and edgeai/labels/{id}, only for an account's own devices. */
    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
            boolean noAutoCreateQueue) throws ActiveMQSecurityException {
        String topic = message.getAddress() == null ? null : topics.topic(message.getAddress());
        String account = session.getValidatedUser();
        if (!mayPublish(session.getRemotingConnection().getSubject(), account, topic)) {
            refuse(account, "publish to " + topic);
        }
    }

    /**
     * For a connection that cannot be told (MQTT 3.1.1): whether its account may publish to {@code topic}; a refusal
     * is counted here. The broker would close the connection too, but through its error path, which logs an ERROR
     * with a stack trace for each.
     */
    boolean mayPublishQuietly(Subject subject, String topic) {
        String account = subject == null ? null : subject.getPrincipals(UserPrincipal.class).stream()
                .map(UserPrincipal::getName).findFirst().orElse(null);
        if (mayPublish(subject, account, topic)) {
            return true;
        }
        counters.received();
        counters.rejected(RejectReason.UNAUTHORIZED);
        LOG.debug("MQTT account '{}' may not publish to {}: connection closed", account, topic);
        return false;
    }

    private boolean mayPublish(Subject subject, String account, String topic) {
        String prefix = topic == null ? null : topic.startsWith(Topics.TELEMETRY) ? Topics.TELEMETRY
                : topic.startsWith(Topics.LABELS) ? Topics.LABELS : null;
        if (prefix == null || unlimited(subject)) {
            return true;
        }
        String device = Topics.device(topic, prefix);
        return device != null && accounts.allows(account, device);
    }

    /** Subscriptions: an MQTT subscription is a queue on the topic filter's address, created for the account. */
    @Override
    public void beforeCreateQueue(QueueConfiguration queue) throws ActiveMQSecurityException {
        SimpleString address = queue.getAddress();
        String account = queue.getUser() == null ? null : queue.getUser().toString();
        if (address == null || account == null) {
            return;
        }
        String filter = topics.topic(address.toString());
        String prefix = filter.startsWith(Topics.PREDICTIONS) ? Topics.PREDICTIONS
                : filter.startsWith(Topics.ERRORS) ? Topics.ERRORS : null;
        if (prefix == null || unlimited(subjectOf(account))) {
            return;
        }
        String device = Topics.device(filter, prefix);
        if (device == null || !accounts.allows(account, device)) {
            refuse(account, "subscribe to " + filter);
        }
    }

    /**
     * Indexes the queues that exist now (durable subscriptions from before a restart or from the previous connector);
     * later ones are indexed as the broker creates and destroys them. Called once the guard is registered.
     */
    void indexQueues() {
        server.getPostOffice().getAllBindings()
                .filter(LocalQueueBinding.class::isInstance)
                .map(binding -> ((LocalQueueBinding) binding).getQueue())
                .forEach(this::index);
    }

    @Override
    public void afterCreateQueue(Queue queue) {
        index(queue);
    }

    @Override
    public void afterDestroyQueue(Queue queue, SimpleString address, SecurityAuth session, boolean checkConsumerCount,
            boolean removeConsumers, boolean autoDeleteAddress) {
        owners.remove(queue.getName().toString());
    }

    private void index(Queue queue) {
        if (queue.getUser() != null) {
            owners.put(queue.getName().toString(), queue.getUser().toString());
        }
    }

    /**
     * False when a login as {@code account} with {@code clientId} would resume subscriptions that another account
     * made under that client id (an MQTT subscription queue is named {@code <clientId>.<topic filter>}). Looks only at
     * the queues of that client id, not at every queue of the broker.
     */
    boolean mayUseClientId(String account, String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            return true;
        }
        String mine = clientId + ".";
        boolean foreign = false;
        for (Map.Entry<String, String> queue : owners.subMap(mine, mine + Character.MAX_VALUE).entrySet()) {
            if (!queue.getValue().equals(account)) {
                Queue still = server.locateQueue(queue.getKey());
                if (still == null) {
                    owners.remove(queue.getKey(), queue.getValue()); // gone between the first index and the plugin
                } else {
                    foreign = true;
                    break;
                }
            }
        }
        if (foreign) {
            counters.received();
            counters.rejected(RejectReason.UNAUTHORIZED);
            LOG.debug("MQTT login of '{}' refused: client id '{}' holds another account's subscriptions", account,
                    clientId);
        }
        return !foreign;
    }

    private void refuse(String account, String what) throws ActiveMQSecurityException {
        counters.received();
        counters.rejected(RejectReason.UNAUTHORIZED);
        LOG.debug("MQTT account '{}' may not {}", account, what);
        throw new ActiveMQSecurityException("account '" + account + "' may not " + what
                + " (etc/edgeai-device-accounts.properties)");
    }

    /** The subject of a logged-in account, from any of its sessions. */
    private Subject subjectOf(String account) {
        return server.getSessions().stream()
                .filter(session -> account.equals(session.getValidatedUser()))
                .map(session -> session.getRemotingConnection().getSubject())
                .filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }

    private static boolean unlimited(Subject subject) {
        if (subject == null) {
            return false;
        }
        // called for every publish: walks the subject's own set (getPrincipals(Class) would copy it each time)
        for (java.security.Principal principal : subject.getPrincipals()) {
            if (principal instanceof RolePrincipal role && UNLIMITED.contains(role.getName())) {
                return true;
            }
        }
        return false;
    }
}
