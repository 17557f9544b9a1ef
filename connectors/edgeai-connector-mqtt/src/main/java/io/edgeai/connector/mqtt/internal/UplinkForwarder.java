package io.edgeai.connector.mqtt.internal;

import io.edgeai.api.outbox.Outbox;
import io.edgeai.connector.support.ResultJson;
import io.edgeai.connector.support.UplinkWorker;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves messages from the uplink store to the external broker, one at a time: a message leaves the store only after
 * the external broker acknowledged it (QoS 1), so the order is kept and nothing is lost across outages of either side.
 * While the broker is unreachable it retries with a growing delay, holding the message in hand.
 */
final class UplinkForwarder extends UplinkWorker {

    private static final Logger LOG = LoggerFactory.getLogger(UplinkForwarder.class);
    private static final long POLL_MILLIS = 500;

    private final Outbox store;
    private final MqttClient client;
    private final MqttConnectOptions options;
    private final String gatewayId;
    private final String topic;
    private final int qos;
    private final long maxDelayMillis;
    private final LongAdder forwarded;

    UplinkForwarder(Outbox store, MqttClient client, MqttConnectOptions options, String gatewayId,
            String topic, int qos, long maxDelayMillis, LongAdder forwarded) {
        super("edgeai-mqtt-uplink", false, "not connected yet");
        this.store = store;
        this.client = client;
        this.options = options;
        this.gatewayId = gatewayId;
        this.topic = topic;
        this.qos = qos;
        this.maxDelayMillis = maxDelayMillis;
        this.forwarded = forwarded;
    }

    @Override
    public void run() {
        Outbox.Kept pending = null;
        long delay = 1000;
        while (running()) {
            try {
                // connected first: while the broker is away no message is held, so the store's bound sees them all
                if (!client.isConnected()) {
                    client.connect(options);
                    connected = true;
                    delay = 1000;
                    LOG.info("Uplink connected to {}", client.getServerURI());
                }
                if (pending == null) {
                    List<Outbox.Kept> next = store.take(POLL_MILLIS);
                    if (next.isEmpty()) {
                        continue;
                    }
                    pending = next.get(0);
                }
                MqttMessage message = new MqttMessage(ResultJson.forUplink(pending.body(), gatewayId, pending.seq()));
                message.setQos(qos);
                client.publish(topic.replace("{deviceId}", pending.key()), message);
                store.delivered(pending);
                pending = null;
                forwarded.increment();
            } catch (MqttException e) {
                if (connected) {
                    LOG.warn("Uplink to {} lost: {}; keeping messages until it is back", client.getServerURI(),
                            e.getMessage());
                } else if (!e.getMessage().equals(lastError)) {
                    LOG.info("Uplink to {} unreachable: {}; retrying", client.getServerURI(), e.getMessage());
                }
                connected = false;
                lastError = e.getMessage();
                disconnectQuietly();
                delay = backOff(delay, maxDelayMillis);
            } catch (IOException e) {
                if (running()) {
                    failure = "lost the local store: " + e.getMessage();
                    LOG.warn("Uplink stopped, {}", failure);
                }
                return;
            }
        }
        disconnectQuietly();
    }


    private void disconnectQuietly() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000);
            }
        } catch (MqttException e) {
            LOG.debug("Uplink disconnect: {}", e.getMessage());
        }
    }

}
