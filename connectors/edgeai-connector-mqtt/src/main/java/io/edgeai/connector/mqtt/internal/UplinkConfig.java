package io.edgeai.connector.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Edge AI Gateway MQTT uplink",
        description = "Forwards every result (with its reading) to an external MQTT broker, store-and-forward")
@interface UplinkConfig {

    @AttributeDefinition(description = "The external broker: tcp://host:1883 or ssl://host:8883")
    String url();

    @AttributeDefinition(description = "This gateway's name in topics and messages; empty = the host name")
    String gatewayId() default "";

    @AttributeDefinition(description = "MQTT client id at the external broker; empty = edgeai-<gatewayId>")
    String clientId() default "";

    @AttributeDefinition(description = "User name at the external broker; empty = none")
    String username() default "";

    @AttributeDefinition(description = "Password at the external broker", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(description = "Topic for each message; {gatewayId} and {deviceId} are replaced")
    String topic() default "edgeai/gateways/{gatewayId}/results/{deviceId}";

    @AttributeDefinition(description = "QoS of the forwarded messages", options = {
        @Option(label = "0: at most once", value = "0"), @Option(label = "1: at least once", value = "1")})
    int qos() default 1;

    @AttributeDefinition(description = "Most messages kept while the uplink is down (on disk, in order)")
    long maxMessages() default 100000;

    @AttributeDefinition(description = "What goes when the store is full", options = {
        @Option(label = "drop the oldest message", value = "drop-oldest"),
        @Option(label = "drop the new message", value = "drop-newest")})
    String overflow() default "drop-oldest";

    @AttributeDefinition(description = "Seconds to wait for a connection or an acknowledgement")
    int timeoutSeconds() default 10;

    @AttributeDefinition(description = "MQTT keep-alive in seconds")
    int keepAliveSeconds() default 30;

    @AttributeDefinition(description = "Longest wait between reconnection attempts, in seconds")
    int maxReconnectDelaySeconds() default 30;
}
