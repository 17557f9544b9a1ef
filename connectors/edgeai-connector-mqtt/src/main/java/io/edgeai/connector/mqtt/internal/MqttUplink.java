package io.edgeai.connector.mqtt.internal;

import io.edgeai.api.connector.ConnectorStats;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.outbox.Outbox;
import io.edgeai.api.outbox.Outboxes.Overflow;
import io.edgeai.api.reading.Result;
import io.edgeai.api.reading.ResultListener;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ConnectorSupport;
import io.edgeai.connector.support.ResultJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
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
 * edgeai.uplink}, an outbox: on disk before the device gets its answer), then moved out in order by {@link
 * UplinkForwarder}. The store is bounded by {@code maxMessages}; when full, {@code overflow} drops the oldest or the
 * new message, counted.
 * Active only when configured ({@code etc/io.edgeai.connector.mqtt.uplink.cfg} with a {@code url}).
 */
@Component(service = ResultListener.class, immediate = true,
        configurationPid = MqttUplink.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = UplinkConfig.class)
public class MqttUplink implements ResultListener {

    static final String PID = "io.edgeai.connector.mqtt.uplink";
    static final String STORE = "edgeai.uplink";
    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);

    private final UplinkConfig config;
    private final String dropping;
    private final ConnectorSupport connector;
    private final ConnectorCounters counters;
    private final LongAdder forwarded = new LongAdder();
    private Outbox store;
    private UplinkForwarder forwarder;
    private volatile String problem;

    @Activate
    public MqttUplink(BundleContext context, @Reference ActiveMQServer server, @Reference InternalRealm realm,
            UplinkConfig config) {
        this.config = config;
        Overflow overflow = "drop-newest".equalsIgnoreCase(config.overflow().trim()) ? Overflow.DROP_NEWEST
                : Overflow.DROP_OLDEST;
        this.dropping = overflow == Overflow.DROP_NEWEST ? "newest" : "oldest";
        // results are its readings: received when the route made one, accepted once stored on disk
        this.connector = new ConnectorSupport("uplink", () -> null).endpoint(config::url)
                .healthFrom(c -> health()).more(this::stats).count("forwarded", null, forwarded, LongAdder::sum)
                .count("dropped", dropping, this, MqttUplink::dropped).level("queued", this, MqttUplink::queued);
        this.counters = connector.counters();
        try {
            String gatewayId = config.gatewayId().isBlank() ? ResultJson.hostName() : config.gatewayId();
            String clientId = config.clientId().isBlank() ? "edgeai-" + gatewayId : config.clientId();
            MqttClient client = new MqttClient(config.url(), clientId, new MemoryPersistence());
            client.setTimeToWait(config.timeoutSeconds() * 1000L);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(config.timeoutSeconds());
            options.setKeepAliveInterval(config.keepAliveSeconds());
            // the forwarder publishes one message at a time and waits for its PUBACK, so at most one is in flight;
            // Paho's limit stays above 1 because Paho can return from a publish before it counts the message out
            // (eclipse-paho/paho.mqtt.java#551): with a limit of 1 the next publish failed with "Too many publishes
            // in progress" and the uplink reconnected every few seconds under a backlog
            options.setMaxInflight(10);
            if (!config.username().isBlank()) {
                options.setUserName(config.username());
                options.setPassword(config.password().toCharArray());
            }
            store = BrokerOutboxes.open(server, realm, STORE, config.maxMessages(), overflow, 1);
            forwarder = new UplinkForwarder(store, client, options,
                    gatewayId, config.topic().replace("{gatewayId}", gatewayId), Math.max(0, Math.min(1,
                    config.qos())), config.maxReconnectDelaySeconds() * 1000L, forwarded);
            forwarder.start();
            LOG.info("Uplink to {} as {}: up to {} messages kept while it is down ({} when full)", config.url(),
                    clientId, config.maxMessages(), "drop-" + dropping);
        } catch (MqttException | IllegalArgumentException e) {
            problem = "uplink configuration refused: " + e.getMessage();
            LOG.error("Uplink off: {}", problem);
        } catch (IOException e) {
            problem = e.getMessage();
            LOG.error("Uplink off: {}", problem);
        }
        connector.publish(context); // once it knows where it listens and how it is
    }

    /** Stores one result for the uplink; on disk before this returns, so before the device gets its answer. */
    @Override
    public void resultChanged(Result result) {
        if (store == null) {
            return;
        }
        counters.received();
        try {
            // stored as the JSON it is forwarded as: the uplink is the edge
            if (store.put(result.deviceId(), ResultJson.write(result).getBytes(StandardCharsets.UTF_8))) {
                counters.accepted();
            }
        } catch (IOException e) {
            counters.failed();
            LOG.warn("Uplink store refused a result of {}: {}", result.deviceId(), e.getMessage());
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
                new ConnectorStats.Count("dropped", dropping, dropped())), Map.of("queued", queued()));
    }

    private long queued() {
        return store == null ? 0 : store.size();
    }

    private long dropped() {
        return store == null ? 0 : store.dropped();
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
