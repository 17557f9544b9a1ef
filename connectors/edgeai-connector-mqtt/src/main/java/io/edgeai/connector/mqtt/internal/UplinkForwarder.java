package io.edgeai.connector.mqtt.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
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
final class UplinkForwarder implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(UplinkForwarder.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long POLL_MILLIS = 500;

    private final ClientConsumer store;
    private final MqttClient client;
    private final MqttConnectOptions options;
    private final String gatewayId;
    private final String topic;
    private final int qos;
    private final long maxDelayMillis;
    private final LongAdder forwarded;
    private final Thread thread;
    private final Object pause = new Object();
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile String lastError = "not connected yet";
    private volatile String failure;

    UplinkForwarder(ClientConsumer store, MqttClient client, MqttConnectOptions options, String gatewayId,
            String topic, int qos, long maxDelayMillis, LongAdder forwarded) {
        this.store = store;
        this.client = client;
        this.options = options;
        this.gatewayId = gatewayId;
        this.topic = topic;
        this.qos = qos;
        this.maxDelayMillis = maxDelayMillis;
        this.forwarded = forwarded;
        this.thread = new Thread(this, "edgeai-mqtt-uplink");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean connected() {
        return connected;
    }

    String lastError() {
        return lastError;
    }

    String failure() {
        return failure;
    }

    @Override
    public void run() {
        ClientMessage pending = null;
        long delay = 1000;
        while (running) {
            try {
                // connected first: while the broker is away no message is held, so the store's bound sees them all
                if (!client.isConnected()) {
                    client.connect(options);
                    connected = true;
                    delay = 1000;
                    LOG.info("Uplink connected to {}", client.getServerURI());
                }
                if (pending == null) {
                    pending = store.receive(POLL_MILLIS);
                    if (pending == null) {
                        continue;
                    }
                }
                String device = pending.getStringProperty(MqttUplink.DEVICE_PROPERTY);
                pending.getBodyBuffer().resetReaderIndex(); // a retry reads the body again
                byte[] body = new byte[pending.getBodyBuffer().readableBytes()];
                pending.getBodyBuffer().readBytes(body);
                MqttMessage message = new MqttMessage(payload(body, pending.getMessageID()));
                message.setQos(qos);
                client.publish(topic.replace("{deviceId}", device == null ? "unknown" : device), message);
                pending.acknowledge();
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
                delay = backOff(delay);
            } catch (ActiveMQException e) {
                if (running) {
                    failure = "lost the local store: " + e.getMessage();
                    LOG.warn("Uplink stopped, {}", failure);
                }
                return;
            }
        }
        disconnectQuietly();
    }

    /** The stored result with this gateway's id and the message's sequence number in front, for the receiver. */
    private byte[] payload(byte[] body, long seq) {
        try {
            JsonNode result = MAPPER.readTree(body);
            if (result != null && result.isObject()) {
                ObjectNode out = MAPPER.createObjectNode();
                out.put("gatewayId", gatewayId);
                out.put("seq", seq);
                out.setAll((ObjectNode) result);
                return MAPPER.writeValueAsBytes(out);
            }
        } catch (IOException e) {
            LOG.debug("Uplink message {} is not JSON; forwarded as it is", seq);
        }
        return body;
    }

    private long backOff(long delay) {
        synchronized (pause) {
            if (running) {
                try {
                    pause.wait(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
        return Math.min(delay * 2, maxDelayMillis);
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

    /** Stops after the message in hand; one not yet acknowledged outside stays first in the store. */
    boolean stop(long timeoutMillis) throws InterruptedException {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        thread.join(timeoutMillis);
        return !thread.isAlive();
    }
}
