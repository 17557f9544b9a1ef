package io.edgeai.connector.mqtt.internal;

import org.apache.activemq.artemis.core.config.WildcardConfiguration;

/**
 * The INTERFACE topics and their broker addresses. The broker names addresses with its own wildcard syntax (by default
 * {@code .} between levels); MQTT topics use {@code /}. Conversions go through the broker's configuration, so an
 * operator's wildcard settings in artemis.xml are respected.
 */
final class Topics {

    static final String TELEMETRY = "edgeai/telemetry/";
    static final String PREDICTIONS = "edgeai/predictions/";
    static final String ERRORS = "edgeai/errors/";
    static final String LABELS = "edgeai/labels/";
    /** The durable queue that collects every telemetry publish for the connector. */
    static final String INGEST_QUEUE = "edgeai.ingest";
    /** The durable queue that collects every label publish for the connector. */
    static final String LABELS_QUEUE = "edgeai.labels";

    private static final WildcardConfiguration MQTT =
            new WildcardConfiguration().setDelimiter('/').setAnyWords('#').setSingleWord('+');

    private final WildcardConfiguration broker;

    Topics(WildcardConfiguration broker) {
        this.broker = broker;
    }

    String address(String topic) {
        return MQTT.convert(topic, broker);
    }

    String topic(String address) {
        return broker.convert(address, MQTT);
    }

    /** The broker address every telemetry topic matches, e.g. {@code edgeai.telemetry.#}. */
    String telemetryWildcard() {
        return address(TELEMETRY + "#");
    }

    /** The broker address every label topic matches, e.g. {@code edgeai.labels.#}. */
    String labelsWildcard() {
        return address(LABELS + "#");
    }

    /** The device id of {@code <prefix><deviceId>}: one non-empty level, no wildcard; null otherwise. */
    static String device(String topic, String prefix) {
        if (topic == null || !topic.startsWith(prefix)) {
            return null;
        }
        String device = topic.substring(prefix.length());
        return device.isEmpty() || device.indexOf('/') >= 0 || device.indexOf('+') >= 0 || device.indexOf('#') >= 0
                ? null : device;
    }

    /** Where a refusal goes: the device's error topic, or one named after the client when no device is known. */
    static String errorTopic(String device) {
        return ERRORS + (device == null || device.isEmpty() ? "unknown" : device);
    }
}
