package io.edgeai.connector.mqtt.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.connector.ConnectorStats;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.Labels;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ConnectorSupport;
import io.edgeai.connector.support.TelemetryCall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.remoting.server.RemotingService;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.spi.core.protocol.ProtocolManagerFactory;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.apache.camel.CamelContext;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT connector on the embedded ActiveMQ Artemis broker (Karaf features {@code artemis-core},
 * {@code artemis-mqtt}). It owns the device listeners (plain and TLS, from its configuration), which stay open while
 * the connector itself is updated: the broker keeps acknowledging QoS 1 publishes into the durable ingest queue and
 * the next connector takes them from there. A listener that cannot open leaves the connector DOWN with the reason,
 * never an exception out of activation.
 */
@Component(service = {}, immediate = true, configurationPid = "io.edgeai.connector.mqtt")
@Designate(ocd = MqttConnectorConfig.class)
public class MqttConnector {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnector.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Device listeners are named with this prefix and a hash of their URI, so a changed config replaces them. */
    static final String LISTENER_PREFIX = "edgeai-mqtt";

    private final ConnectorSupport connector;
    private final ConnectorCounters counters;
    private final ActiveMQServer server;
    private final MqttConnectorConfig config;
    private final TelemetryCall telemetry;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> listening = new LinkedHashMap<>();
    private MqttGate fromClients;
    private MqttGate toClients;
    private DeviceGuard guard;
    private ConnectionGuard connections;
    private FirstBytes.OnAccept firstBytes;
    /** Puts {@link #firstBytes} back on listening channels the broker may have opened anew. */
    private java.util.concurrent.ScheduledFuture<?> firstBytesCheck;
    private StorageReserve storage;
    private BrokerLink broker;
    private volatile TelemetryIngest ingest;
    private TelemetryIngest labelIngest;
    private ModelNotices notices;
    private org.osgi.framework.ServiceRegistration<org.osgi.service.event.EventHandler> modelEvents;

    /** The registry, whose models' active versions get a retained notice on edgeai/models/{name}. */
    private volatile io.edgeai.api.model.ModelRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindModelRegistry(io.edgeai.api.model.ModelRegistry models) {
        registry = models;
        ModelNotices ready = notices;
        if (ready != null) {
            ready.all();
        }
    }

    void unbindModelRegistry(io.edgeai.api.model.ModelRegistry models) {
        if (registry == models) {
            registry = null;
        }
    }

    /** Live accuracy, which takes the labels (optional: without monitoring, labels are refused). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Labels labels;
    private Topics topics;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Recorder recorder;

    /** The uplink while it is up ({@link MqttUplink}, present only when configured). */
    private volatile io.edgeai.api.reading.ResultListener uplink;

    private final org.osgi.service.cm.ConfigurationAdmin configurations;

    @Activate
    public MqttConnector(BundleContext context, @Reference ActiveMQServer server,
            @Reference(target = "(component.name=org.apache.activemq.artemis.core.protocol.mqtt."
                    + "MQTTProtocolManagerFactory)") ProtocolManagerFactory<?> mqtt,
            @Reference(target = "(camel.context.name=edgeai)") CamelContext camel,
            @Reference ReadingParser parser, @Reference InternalRealm realm,
            @Reference org.osgi.service.cm.ConfigurationAdmin configurations, MqttConnectorConfig config) {
        this.server = server;
        this.configurations = configurations;
        this.config = config;
        this.connector = new ConnectorSupport("mqtt", () -> recorder).endpoint(this::endpoint)
                .healthFrom(c -> health()).more(this::stats).level("queued", this, MqttConnector::queued);
        this.counters = connector.counters();
        this.telemetry = new TelemetryCall(camel, "mqtt");
        try {
            topics = new Topics(server.getConfiguration().getWildcardConfiguration());
            RemotingService remoting = server.getRemotingService();
            BrokerLink.ensureInVmAcceptor(server);
            broker = realm.link();
            TelemetryIngest.Intake intake = new TelemetryIngest.Intake(parser, telemetry, counters,
                    config.maxPayloadBytes(), () -> labels);
            // readings kept across a restart are processed once the uplink that forwards their results is up
            ingest = new TelemetryIngest("ingest", new TelemetryIngest.Source(broker.feed(server,
                    Topics.INGEST_QUEUE, topics.telemetryWildcard(), RoutingType.MULTICAST), topics), intake)
                    .await(() -> uplink != null || !uplinkConfigured());
            labelIngest = new TelemetryIngest("labels", new TelemetryIngest.Source(broker.feed(server,
                    Topics.LABELS_QUEUE, topics.labelsWildcard(), RoutingType.MULTICAST), topics), intake);
            if (config.deviceIsolation()) {
                guard = new DeviceGuard(server, topics, new DeviceAccounts(Path.of(config.deviceAccounts().isBlank()
                        ? System.getProperty("karaf.etc", "etc") + "/edgeai-device-accounts.properties"
                        : config.deviceAccounts())), counters);
                server.registerBrokerPlugin(guard);
                guard.indexQueues();
            } else {
                LOG.warn("MQTT device isolation is off (deviceIsolation = false): every device account may publish"
                        + " and read every device's topics");
            }
            connections = new ConnectionGuard(server.getScheduledPool(), config.connectTimeoutSeconds(),
                    config.maxConnectionsPerAddress(), (why, count) -> connector.count("closed", why, count,
                    LongAdder::sum));
            server.registerBrokerPlugin(connections);
            firstBytes = new FirstBytes.OnAccept(connections, config.connectTimeoutSeconds());
            storage = new StorageReserve(server.getConfiguration().getJournalLocation().toPath(),
                    config.minFreeMegabytes(), config.minFreePercent());
            fromClients = new MqttGate(true, counters, this::unknownTopic, guard, storage, connections);
            toClients = new MqttGate(false, counters, this::unknownTopic, null, null, connections);
            remoting.addIncomingInterceptor(fromClients);
            remoting.addOutgoingInterceptor(toClients);
            listen(remoting);
            takeBytesOfNoProtocol(remoting, true);
            firstBytesCheck = server.getScheduledPool().scheduleWithFixedDelay(this::watchFirstBytes, 30, 30,
                    TimeUnit.SECONDS);
            ingest.start();
            labelIngest.start();
            notices = new ModelNotices(server, broker, topics, () -> registry);
            notices.all();
            java.util.Hashtable<String, Object> modelTopics = new java.util.Hashtable<>();
            modelTopics.put(org.osgi.service.event.EventConstants.EVENT_TOPIC, new String[] {
                io.edgeai.api.monitoring.EdgeAiEvents.MODEL_PROMOTED, io.edgeai.api.monitoring.EdgeAiEvents
                    .MODEL_ROLLED_BACK, io.edgeai.api.monitoring.EdgeAiEvents.MODEL_DELETED});
            ModelNotices publishing = notices;
            modelEvents = context.registerService(org.osgi.service.event.EventHandler.class, event -> publishing
                    .changed(String.valueOf(event.getProperty(io.edgeai.api.monitoring.EdgeAiEvents.PROP_MODEL))),
                    modelTopics);
            hold(remoting, false);
            LOG.info("MQTT connector up: {}; readings from {} through queue {}, labels from {} through queue {}",
                    endpoint(), Topics.TELEMETRY + "{deviceId}", Topics.INGEST_QUEUE, Topics.LABELS + "{deviceId}",
                    Topics.LABELS_QUEUE);
        } catch (Exception e) {
            problems.add("cannot use the broker: " + e.getMessage());
            LOG.error("MQTT connector cannot use the broker: {}", e.toString());
        }
        connector.publish(context); // once it knows where it listens and how it is
    }

    /**
     * Puts (or takes back) {@link AnyBytesToMqtt} in the protocol map of each of the connector's listeners: listeners
     * outlive the connector across its updates, so each connector puts in its own and takes it back when it goes.
     */
    private void takeBytesOfNoProtocol(RemotingService remoting, boolean put) {
        for (NettyAcceptor netty : listeners(remoting)) {
            @SuppressWarnings({"rawtypes", "unchecked"})
            Map<String, org.apache.activemq.artemis.spi.core.protocol.ProtocolManager> protocols =
                    (Map) netty.getProtocolHandler().getProtocolMap();
            var mqtt = protocols.get("MQTT");
            if (put && mqtt != null) {
                ConnectionGuard guard = connections;
                protocols.put(AnyBytesToMqtt.NAME, new AnyBytesToMqtt(mqtt, pipeline -> guard.count(
                        ConnectionGuard.NOT_MQTT, String.valueOf(pipeline.channel().remoteAddress()))));
            } else if (!put) {
                protocols.remove(AnyBytesToMqtt.NAME);
            }
            if (firstBytes != null) {
                firstBytes.attach(netty, put);
            }
        }
    }

    private void watchFirstBytes() {
        for (NettyAcceptor netty : listeners(server.getRemotingService())) {
            firstBytes.attach(netty, true);
        }
    }

    /** The device listeners this connector opened (and its earlier instances: listeners outlive the connector). */
    private static List<NettyAcceptor> listeners(RemotingService remoting) {
        List<NettyAcceptor> ours = new ArrayList<>();
        for (Map.Entry<String, Acceptor> entry : remoting.getAcceptors().entrySet()) {
            if (entry.getKey().startsWith(LISTENER_PREFIX + "-") && entry.getValue() instanceof NettyAcceptor netty) {
                ours.add(netty);
            }
        }
        return ours;
    }

    /**
     * The broker's own limit on a connection that has not yet sent the bytes it chooses a protocol by (it logs an ERROR
     * for each it closes): later than {@link FirstBytes}', which closes such connections quietly and counts them.
     */
    private String handshakeTimeout() {
        return config.connectTimeoutSeconds() > 0 ? ";handshake-timeout=" + (config.connectTimeoutSeconds() + 10) : "";
    }

    /** Opens the configured listeners, keeps those already open with the same settings, closes stale ones. */
    private void listen(RemotingService remoting) {
        Map<String, String> wanted = new LinkedHashMap<>();
        if (config.port() >= 0) {
            wanted.put("mqtt", "tcp://" + config.bindAddress() + ":" + config.port() + "?protocols=MQTT;tcpNoDelay=true"
                    + ";connectionsAllowed=" + config.maxConnections() + handshakeTimeout());
        }
        if (config.tlsPort() >= 0) {
            Path keystore = Path.of(config.tlsKeystore().isBlank()
                    ? System.getProperty("karaf.etc", "etc") + "/edgeai-mqtt-tls.p12" : config.tlsKeystore());
            try {
                String fingerprint = SelfSignedKeystore.ensure(keystore, config.tlsKeystorePassword());
                LOG.info("MQTT over TLS with {} (certificate SHA-256 {})", keystore, fingerprint);
                wanted.put("mqtts", "tcp://" + config.bindAddress() + ":" + config.tlsPort()
                        + "?protocols=MQTT;tcpNoDelay=true;connectionsAllowed=" + config.maxConnections()
                        + handshakeTimeout()
                        + ";sslEnabled=true;keyStoreType=PKCS12;keyStorePath=" + keystore
                        + ";keyStorePassword=" + config.tlsKeystorePassword());
            } catch (Exception e) {
                problems.add("TLS listener off: " + e.getMessage());
                LOG.error("MQTT over TLS is off: {}", e.getMessage());
            }
        }
        Map<String, String> names = new LinkedHashMap<>();
        wanted.forEach((scheme, uri) -> names.put(LISTENER_PREFIX + "-" + scheme + "-"
                + Integer.toHexString(uri.hashCode()), scheme));
        for (String name : List.copyOf(remoting.getAcceptors().keySet())) {
            if (name.startsWith(LISTENER_PREFIX + "-") && !names.containsKey(name)) {
                try {
                    remoting.destroyAcceptor(name);
                    LOG.info("Closed MQTT listener {} (configuration changed)", name);
                } catch (Exception e) {
                    LOG.warn("Could not close MQTT listener {}: {}", name, e.getMessage());
                }
            }
        }
        names.forEach((name, scheme) -> {
            String uri = wanted.get(scheme);
            Acceptor acceptor = remoting.getAcceptor(name);
            try {
                if (acceptor == null) {
                    acceptor = remoting.createAcceptor(name, uri);
                    if (acceptor == null) {
                        throw new IllegalStateException("the broker refused " + uri.replaceAll(
                                "keyStorePassword=[^;]*", "keyStorePassword=***"));
                    }
                    acceptor.start();
                }
                int port = acceptor instanceof NettyAcceptor netty ? netty.getActualPort()
                        : "mqtt".equals(scheme) ? config.port() : config.tlsPort();
                listening.put(scheme, scheme + "://" + config.bindAddress() + ":" + port);
            } catch (Exception e) {
                problems.add(scheme + " listener on port " + ("mqtt".equals(scheme) ? config.port()
                        : config.tlsPort()) + " did not open: " + e.getMessage());
                LOG.error("MQTT listener {} did not open: {}", uri.replaceAll("keyStorePassword=[^;]*",
                        "keyStorePassword=***"), e.toString());
                try {
                    remoting.destroyAcceptor(name);
                } catch (Exception ignored) {
                    // it never opened
                }
            }
        });
    }

    private void unknownTopic(String clientId, String topic) {
        ObjectNode error = MAPPER.createObjectNode();
        error.put("topic", topic);
        error.put("reason", RejectReason.UNKNOWN_RESOURCE.metricTag());
        error.put("detail", "the gateway serves edgeai/telemetry/{deviceId}; "
                + "results come on edgeai/predictions/{deviceId}");
        try {
            broker.publish(topics.address(Topics.errorTopic(clientId)),
                    error.toString().getBytes(StandardCharsets.UTF_8));
        } catch (ActiveMQException e) {
            LOG.warn("Could not tell client {} about topic {}: {}", clientId, topic, e.getMessage());
        }
    }

    /**
     * Holds the device listeners (or lets them go) while no connector guards them: between an instance's deactivation
     * and the next one's activation (an update of the bundle or of its configuration) the broker would serve devices
     * without device isolation, the storage reserve and the connection guard. Held, a listener accepts no new
     * connection and reads nothing from the open ones: clients wait (TCP backpressure), nothing is refused or lost, and
     * the next connector lets them go once it is in place. Listeners with no connector at all stay held: closed, not
     * open without guards. Only Netty's own settings change (autoRead), so nothing of this bundle stays in the broker.
     */
    private void hold(RemotingService remoting, boolean hold) {
        for (NettyAcceptor netty : listeners(remoting)) {
            for (io.netty.channel.Channel channel : FirstBytes.listening(netty)) {
                channel.config().setAutoRead(!hold);
            }
            for (var connection : netty.getConnections().values()) {
                connection.getChannel().config().setAutoRead(!hold);
            }
        }
    }

    /** The uplink came up: an ingest waiting for it at start goes on at once. */
    @Reference(name = "uplink", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(component.name=io.edgeai.connector.mqtt.internal.MqttUplink)")
    void bindUplink(io.edgeai.api.reading.ResultListener up) {
        uplink = up;
        TelemetryIngest waiting = ingest;
        if (waiting != null) {
            waiting.recheck();
        }
    }

    void unbindUplink(io.edgeai.api.reading.ResultListener down) {
        if (uplink == down) {
            uplink = null;
        }
    }

    /** True when etc/io.edgeai.connector.mqtt.uplink.cfg (or ConfigurationAdmin) names an uplink {@code url}. */
    private boolean uplinkConfigured() {
        try {
            org.osgi.service.cm.Configuration[] found = configurations.listConfigurations(
                    "(&(service.pid=" + MqttUplink.PID + ")(url=*))");
            return found != null && java.util.Arrays.stream(found).anyMatch(c -> c.getProperties() != null
                    && !String.valueOf(c.getProperties().get("url")).isBlank());
        } catch (java.io.IOException | org.osgi.framework.InvalidSyntaxException e) {
            return false;
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (modelEvents != null) {
            modelEvents.unregister();
        }
        hold(server.getRemotingService(), true);
        if (ingest != null && !ingest.stop(config.drainTimeoutSeconds(), TimeUnit.SECONDS)) {
            LOG.warn("The reading in hand did not finish within {} s; the broker redelivers it",
                    config.drainTimeoutSeconds());
        }
        if (labelIngest != null && !labelIngest.stop(config.drainTimeoutSeconds(), TimeUnit.SECONDS)) {
            LOG.warn("The label in hand did not finish within {} s; the broker redelivers it",
                    config.drainTimeoutSeconds());
        }
        if (guard != null) {
            server.unRegisterBrokerPlugin(guard);
        }
        if (firstBytesCheck != null) {
            firstBytesCheck.cancel(false);
        }
        if (connections != null) {
            takeBytesOfNoProtocol(server.getRemotingService(), false);
            server.unRegisterBrokerPlugin(connections);
            connections.close();
        }
        if (fromClients != null) {
            server.getRemotingService().removeIncomingInterceptor(fromClients);
            server.getRemotingService().removeOutgoingInterceptor(toClients);
        }
        if (broker != null) {
            broker.close();
        }
        telemetry.close();
        connector.close();
    }

    private String endpoint() {
        return String.join(" ", listening.values());
    }

    /** The common counts, the connections the guard closed (by why) and the readings the broker keeps now. */
    private ConnectorStats stats(ConnectorCounters common) {
        List<ConnectorStats.Count> closed = new ArrayList<>();
        if (connections != null) {
            connections.closedCounts().forEach((why, n) -> closed.add(new ConnectorStats.Count("closed", why, n)));
        }
        return common.stats(closed, Map.of("queued", queued()));
    }

    /** Readings the broker holds for the connector; -1 while the broker cannot say (stopped, failed). */
    private long queued() {
        try {
            Queue queue = server.locateQueue(SimpleString.of(Topics.INGEST_QUEUE));
            return queue == null ? 0 : queue.getMessageCount();
        } catch (RuntimeException brokerDown) {
            return -1;
        }
    }

    private Health health() {
        String failure = ingest == null ? null : ingest.failure() != null ? ingest.failure()
                : labelIngest.failure();
        List<String> reasons = new ArrayList<>(problems);
        if (failure != null) {
            reasons.add(failure);
        }
        if (listening.isEmpty() && problems.isEmpty()) {
            reasons.add("no listener configured (port and tlsPort are -1)");
        }
        if (ingest == null || failure != null || listening.isEmpty()) {
            return connector.health(Status.DOWN, String.join("; ", reasons));
        }
        String serving = "listening on " + endpoint() + "; " + queued() + " readings queued";
        if (storage != null && storage.low()) {
            reasons.add("new QoS 1/2 publishes refused: " + storage.describe());
        }
        return reasons.isEmpty() ? connector.health(Status.UP, serving)
                : connector.health(Status.DEGRADED, serving + "; " + String.join("; ", reasons));
    }
}
