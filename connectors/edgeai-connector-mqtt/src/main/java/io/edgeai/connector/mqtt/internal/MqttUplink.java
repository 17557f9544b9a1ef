package io.edgeai.connector.mqtt.internal;

import io.edgeai.api.connector.ConnectorStats;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.reading.Result;
import io.edgeai.api.reading.ResultListener;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ConnectorSupport;
import io.edgeai.connector.support.ResultJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uplink: every result the gateway gives a device (with the reading it answers), from any protocol, forwarded to
 * an external MQTT broker. Each result is first written to a durable queue of the embedded broker ({@code
 * edgeai.uplink}, on disk before the device gets its answer), then moved out in order by {@link UplinkForwarder}. The
 * store is bounded by {@code maxMessages}; when full, {@code overflow} drops the oldest or the new message, counted.
 * Active only when configured ({@code etc/io.edgeai.connector.mqtt.uplink.cfg} with a {@code url}).
 */
@Component(service = ResultListener.class, immediate = true,
        configurationPid = "io.edgeai.connector.mqtt.uplink", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = UplinkConfig.class)
public class MqttUplink implements ResultListener {

    static final String STORE = "edgeai.uplink";
    static final String DEVICE_PROPERTY = "edgeai.deviceId";
    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);

    private final ActiveMQServer server;
    private final UplinkConfig config;
    private final boolean dropOldest;
    private final ConnectorSupport connector;
    private final ConnectorCounters counters;
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder droppedOldest = new LongAdder();
    private final LongAdder droppedNewest = new LongAdder();
    private BrokerLink store;
    private UplinkForwarder forwarder;
    private volatile String problem;

    @Activate
    public MqttUplink(BundleContext context, @Reference ActiveMQServer server, @Reference InternalRealm realm,
            UplinkConfig config) {
        this.server = server;
        this.config = config;
        // results are its readings: received when the route made one, accepted once stored on disk
        this.connector = new ConnectorSupport("uplink", () -> null).endpoint(config::url)
                .healthFrom(c -> health()).more(this::stats).count("forwarded", null, forwarded, LongAdder::sum)
                .count("dropped", "oldest", droppedOldest, LongAdder::sum)
                .count("dropped", "newest", droppedNewest, LongAdder::sum).level("queued", this, MqttUplink::queued);
        this.counters = connector.counters();
        this.dropOldest = !"drop-newest".equals(config.overflow().trim().toLowerCase(Locale.ROOT));
        try {
            String gatewayId = config.gatewayId().isBlank() ? SelfSignedKeystore.hostName() : config.gatewayId();
            String clientId = config.clientId().isBlank() ? "edgeai-" + gatewayId : config.clientId();
            MqttClient client = new MqttClient(config.url(), clientId, new MemoryPersistence());
            client.setTimeToWait(config.timeoutSeconds() * 1000L);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(config.timeoutSeconds());
            options.setKeepAliveInterval(config.keepAliveSeconds());
            options.setMaxInflight(1);
            if (!config.username().isBlank()) {
                options.setUserName(config.username());
                options.setPassword(config.password().toCharArray());
            }
            BrokerLink.ensureInVmAcceptor(server);
            store = realm.link(true);
            forwarder = new UplinkForwarder(store.consumer(STORE, STORE, RoutingType.ANYCAST, false), client, options,
                    gatewayId, config.topic().replace("{gatewayId}", gatewayId), Math.max(0, Math.min(1,
                    config.qos())), config.maxReconnectDelaySeconds() * 1000L, forwarded);
            forwarder.start();
            LOG.info("Uplink to {} as {}: up to {} messages kept while it is down ({} when full)", config.url(),
                    clientId, config.maxMessages(), dropOldest ? "drop-oldest" : "drop-newest");
        } catch (MqttException | IllegalArgumentException e) {
            problem = "uplink configuration refused: " + e.getMessage();
            LOG.error("Uplink off: {}", problem);
        } catch (Exception e) {
            problem = "cannot use the local broker: " + e.getMessage();
            LOG.error("Uplink off: {}", problem);
        }
        connector.publish(context); // once it knows where it listens and how it is
    }

    /** Stores one result for the uplink; on disk before this returns, so before the device gets its answer. */
    @Override
    public synchronized void resultChanged(Result result) {
        String deviceId = result.deviceId();
        if (store == null) {
            return;
        }
        counters.received();
        Queue queue = server.locateQueue(SimpleString.of(STORE));
        if (queue != null) {
            // a message sent a moment ago is counted (and can be dropped) once the queue's executor took it in
            queue.flushExecutor();
        }
        if (queue != null && queue.getMessageCount() >= config.maxMessages()) {
            if (!dropOldest) {
                droppedNewest.increment();
                return;
            }
            dropOldestOf(queue);
        }
        try {
            // stored as the JSON it is forwarded as: the uplink is the edge
            store.publish(STORE, ResultJson.write(result).getBytes(StandardCharsets.UTF_8),
                    Map.of(DEVICE_PROPERTY, deviceId), true);
            counters.accepted();
        } catch (ActiveMQException e) {
            counters.failed();
            LOG.warn("Uplink store refused a result of {}: {}", deviceId, e.getMessage());
        }
    }

    private void dropOldestOf(Queue queue) {
        try (LinkedListIterator<MessageReference> oldest = queue.browserIterator()) {
            if (oldest.hasNext() && queue.deleteReference(oldest.next().getMessageID())) {
                droppedOldest.increment();
            }
        } catch (Exception e) {
            LOG.warn("Uplink store is full and its oldest message could not be dropped: {}", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (forwarder != null && !forwarder.stop(config.timeoutSeconds() * 1000L + 2000)) {
            LOG.warn("Uplink did not stop within {} s", config.timeoutSeconds() + 2);
        }
        if (store != null) {
            store.close();
        }
        connector.close();
    }

    /** Results forwarded and dropped (by which end of a full store), and the results kept now. */
    private ConnectorStats stats(ConnectorCounters common) {
        return common.stats(List.of(new ConnectorStats.Count("forwarded", null, forwarded.sum()),
                new ConnectorStats.Count("dropped", "oldest", droppedOldest.sum()),
                new ConnectorStats.Count("dropped", "newest", droppedNewest.sum())), Map.of("queued", queued()));
    }

    private long queued() {
        Queue queue = server.locateQueue(SimpleString.of(STORE));
        if (queue == null) {
            return 0;
        }
        queue.flushExecutor();
        return queue.getMessageCount();
    }

    private Health health() {
        if (problem != null) {
            return connector.health(Status.DOWN, problem);
        }
        if (forwarder.failure() != null) {
            return connector.health(Status.DOWN, forwarder.failure());
        }
        if (!forwarder.connected()) {
            return connector.health(Status.DEGRADED, "not connected to " + config.url() + " ("
                    + forwarder.lastError() + "); " + queued() + " messages kept, oldest first");
        }
        return connector.health(Status.UP, "connected to " + config.url() + "; " + queued()
                + " messages waiting");
    }
}
