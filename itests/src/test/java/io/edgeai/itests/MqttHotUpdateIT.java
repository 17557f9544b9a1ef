package io.edgeai.itests;

import io.edgeai.api.connector.Connector;

/**
 * The MQTT connector updated under QoS 1 publishes from mosquitto_pub: mosquitto_pub ends with 0 once the broker's
 * PUBACK came, which is the acknowledgement. During the update the broker's device listeners hold (clients wait) until
 * the next connector's guards are in place; what the broker acknowledged before waits in the durable ingest queue for
 * the next connector.
 */
public class MqttHotUpdateIT extends ConnectorHotUpdateSupport {

    @Override
    protected String connectorName() {
        return "mqtt";
    }

    @Override
    protected String bundleName() {
        return "io.edgeai.connector.mqtt";
    }

    /** A PUBACK is the acknowledgement; without one the reading stays with the device (QoS 1 retries it). */
    @Override
    protected Answer send(Connector connector, String device, int seq) throws Exception {
        boolean acked = new Mosquitto(port(connector.endpoint(), "mqtt"), MQTT_USER, MQTT_PASSWORD)
                .pub("-V", seq % 2 == 0 ? "mqttv311" : "mqttv5", "-q", "1", "-t", "edgeai/telemetry/" + device,
                        "-m", "{\"values\": {\"seq\": " + seq + "}}").exit() == 0;
        return new Answer(acked ? Kind.ACKNOWLEDGED : Kind.RETRYABLE, "");
    }
}
