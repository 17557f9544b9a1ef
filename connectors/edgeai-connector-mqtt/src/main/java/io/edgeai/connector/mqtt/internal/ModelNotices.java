package io.edgeai.connector.mqtt.internal;

import io.edgeai.api.model.ModelRegistry;
import io.edgeai.connector.support.DeviceModel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retained MQTT notice of each model's active version in the device format, on {@code edgeai/models/{name}}: the
 * same JSON as CoAP's {@code GET /models/{name}} (version, and each file's size and SHA-256; the files are fetched over
 * CoAP at {@code /models/{name}/{file}}). A device subscribing gets the newest notice at once, flagged retained, and
 * every later one as the active version changes; a model whose active version has no device format has none.
 *
 * <p>The broker keeps a topic's retained message in a queue of its own ({@code $sys.mqtt.retain.<address>}), which its
 * MQTT protocol copies to each new subscription: the notice is written there (durable: it survives a restart of the
 * broker) after what was retained before is removed, and sent on the topic's address for the subscribers of now.
 * Devices may read these topics and never write them (etc/artemis.xml).
 */
final class ModelNotices {

    private static final Logger LOG = LoggerFactory.getLogger(ModelNotices.class);
    static final String MODELS = "edgeai/models/";
    /** The QoS the notices are published at (a subscriber's own lower QoS wins). */
    private static final Map<String, Object> QOS_1 = Map.of("mqtt.qos.level", 1);

    private final ActiveMQServer server;
    private final BrokerLink broker;
    private final Topics topics;
    private final Supplier<ModelRegistry> registry;

    ModelNotices(ActiveMQServer server, BrokerLink broker, Topics topics, Supplier<ModelRegistry> registry) {
        this.server = server;
        this.broker = broker;
        this.topics = topics;
        this.registry = registry;
    }

    /** Publishes every model's notice (at start, and when the registry comes). */
    void all() {
        ModelRegistry models = registry.get();
        if (models != null) {
            models.models().forEach(this::changed);
        }
    }

    /** The model's active version changed (or may have): its retained notice is replaced, or removed. */
    synchronized void changed(String model) {
        ModelRegistry models = registry.get();
        if (models == null || model == null || Topics.device(MODELS + model, MODELS) == null) {
            return;
        }
        String address = topics.address(MODELS + model);
        String retained = MQTTUtil.getCoreRetainAddressFromMqttTopic(MODELS + model,
                server.getConfiguration().getWildcardConfiguration());
        try {
            Optional<DeviceModel> active = DeviceModel.active(models, model);
            Queue queue = server.locateQueue(SimpleString.of(retained));
            if (queue == null && active.isEmpty()) {
                return;
            }
            if (queue == null) {
                queue = server.createQueue(QueueConfiguration.of(retained).setAddress(retained)
                        .setRoutingType(RoutingType.MULTICAST).setDurable(true), true);
            }
            queue.deleteAllReferences();
            if (active.isEmpty()) {
                LOG.info("MQTT: no retained notice on {}{} (no active version in the device format)", MODELS, model);
                return;
            }
            byte[] notice = active.get().notice("/models/" + model + "/").getBytes(StandardCharsets.UTF_8);
            broker.publish(retained, notice, QOS_1, true);
            broker.publish(address, notice, QOS_1, true);
            LOG.info("MQTT: retained notice of model {} version {} on {}{}", model, active.get().version(), MODELS,
                    model);
        } catch (Exception e) {
            LOG.warn("MQTT: the notice of model {} could not be published: {}", model, e.toString());
        }
    }
}
