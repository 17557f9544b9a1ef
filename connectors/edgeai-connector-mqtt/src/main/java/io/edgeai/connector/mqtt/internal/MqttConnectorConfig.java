package io.edgeai.connector.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway MQTT connector")
@interface MqttConnectorConfig {

    @AttributeDefinition(description = "Address the MQTT listeners bind to")
    String bindAddress() default "0.0.0.0";

    @AttributeDefinition(description = "TCP port of the plain MQTT listener; -1 = off, 0 = any free port")
    int port() default 1883;

    @AttributeDefinition(description = "TCP port of the MQTT over TLS listener; -1 = off, 0 = any free port")
    int tlsPort() default 8883;

    @AttributeDefinition(description = "PKCS#12 keystore of the TLS listener; created self-signed when missing")
    String tlsKeystore() default "";

    @AttributeDefinition(description = "Password of the keystore", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String tlsKeystorePassword() default "edgeai-mqtt";

    @AttributeDefinition(description = "Largest reading in bytes; larger ones are refused on edgeai/errors/{deviceId}")
    int maxPayloadBytes() default 65536;

    @AttributeDefinition(description = "Device accounts publish and read only their own devices' topics "
            + "(etc/edgeai-device-accounts.properties; the role edgeai-app is not limited)")
    boolean deviceIsolation() default true;

    @AttributeDefinition(description = "Which device ids each device account acts for")
    String deviceAccounts() default "";

    @AttributeDefinition(description = "Free space (MB) the broker's storage keeps: below it new QoS 1/2 publishes are"
            + " refused (MQTT 5 PUBACK 0x97)")
    int minFreeMegabytes() default 64;

    @AttributeDefinition(description = "The same as a share (%) of the storage's size; the larger of the two applies")
    int minFreePercent() default 5;

    @AttributeDefinition(description = "Seconds an update or stop waits for the reading in hand")
    int drainTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Seconds a new connection has to complete CONNECT before it is closed; 0 = no"
            + " limit")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Open connections one address may hold (a NAT in front of many devices needs"
            + " more); 0 = no limit")
    int maxConnectionsPerAddress() default 128;

    @AttributeDefinition(description = "Open connections each listener takes in all; -1 = no limit")
    int maxConnections() default 2000;
}
