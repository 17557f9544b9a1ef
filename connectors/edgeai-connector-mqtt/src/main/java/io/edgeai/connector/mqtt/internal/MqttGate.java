package io.edgeai.connector.mqtt.internal;

import io.edgeai.api.reading.RejectReason;
import io.edgeai.connector.support.ConnectorCounters;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.function.BiConsumer;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnection;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees what the broker refuses before the connector's queue could: logins with wrong credentials (CONNACK refusals)
 * and publishes to topics under {@code edgeai/} that the gateway does not serve. Counts them and, for the latter,
 * tells the client on {@code edgeai/errors/{clientId}}; the broker's permissions (etc/artemis.xml) then give the
 * protocol's answer (MQTT 5: PUBACK 0x87; 3.1.1: the connection is closed, as [MQTT-3.3.5-2] allows). Topics outside
 * {@code edgeai/} are the integrators' business and pass untouched.
 */
final class MqttGate implements MQTTInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttGate.class);
    /** What an MQTT 5 connection calls its protocol (3.1.1 ones say "MQTT"). */
    private static final String MQTT_5 = "MQTT5";
    /** MQTT 5 reason code 0x97: quota exceeded. */
    private static final byte QUOTA_EXCEEDED = (byte) 0x97;
    private static final byte NOT_AUTHORIZED = (byte) 0x87;

    private final boolean incoming;
    private final ConnectorCounters counters;
    /** (client id, topic) of a publish the gateway does not serve. */
    private final BiConsumer<String, String> unknownTopic;
    /** Keeps devices apart (logins that take over another account's client id, 3.1.1 publishes); null when off. */
    private final DeviceGuard isolation;
    /** Free space the journal keeps; null for the outgoing gate. */
    private final StorageReserve storage;

    /** One gate for packets from clients (logins, publishes), one for packets to them (login answers). */
    /** Counts connections closed for a packet before CONNECT or a refused login. */
    private final ConnectionGuard connections;

    MqttGate(boolean incoming, ConnectorCounters counters, BiConsumer<String, String> unknownTopic,
            DeviceGuard isolation, StorageReserve storage, ConnectionGuard connections) {
        this.incoming = incoming;
        this.connections = connections;
        this.storage = storage;
        this.counters = counters;
        this.unknownTopic = unknownTopic;
        this.isolation = isolation;
    }

    @Override
    public boolean intercept(MqttMessage message, RemotingConnection connection) {
        MqttMessageType type = message.fixedHeader().messageType();
        if (incoming && type != MqttMessageType.CONNECT && connection.getClientID() == null) {
            // [MQTT-3.1.0-1]: the first packet is CONNECT; anything else closes the connection
            if (connections != null) {
                connections.count(ConnectionGuard.BEFORE_CONNECT, connection.getRemoteAddress());
            }
            return false;
        }
        if (!incoming && type == MqttMessageType.CONNACK) {
            byte code = ((MqttConnAckMessage) message).variableHeader().connectReturnCode().byteValue();
            if (refusedLogin(code)) {
                counters.received();
                counters.rejected(RejectReason.UNAUTHORIZED);
                // the broker logs nothing of it (its WARN per refused login is filtered out in the logging
                // configuration): the guard counts it and sums it up once a minute, whatever the flood of guesses
                if (connections != null) {
                    connections.count(ConnectionGuard.LOGIN_REFUSED, connection.getRemoteAddress());
                }
                LOG.debug("MQTT login refused (0x{}) from {}", Integer.toHexString(code & 0xff),
                        connection.getRemoteAddress());
            }
        } else if (incoming && type == MqttMessageType.CONNECT) {
            MqttConnectMessage connect = (MqttConnectMessage) message;
            if (isolation != null
                    && !isolation.mayUseClientId(connect.payload().userName(), connect.payload().clientIdentifier())) {
                refuseClientId(connect, connection);
                return false;
            }
        } else if (incoming && type == MqttMessageType.PUBLISH) {
            MqttPublishMessage publish = (MqttPublishMessage) message;
            if (storage != null && publish.fixedHeader().qosLevel() != MqttQoS.AT_MOST_ONCE && storage.low()) {
                counters.received();
                counters.rejected(RejectReason.STORAGE_FULL);
                refusePublish(publish, connection, QUOTA_EXCEEDED);
                return false;
            }
            String topic = publish.variableHeader().topicName();
            if (topic == null || !topic.startsWith("edgeai/")) {
                // outside the gateway's topics no account may publish: refused here, where it costs a count, not in
                // the broker, which logs an ERROR with a stack trace for every such publish
                counters.received();
                counters.rejected(RejectReason.UNAUTHORIZED);
                refusePublish(publish, connection, NOT_AUTHORIZED);
                return false;
            }
            if (topic.startsWith("edgeai/") && !topic.startsWith(Topics.TELEMETRY)
                    && !topic.startsWith(Topics.LABELS)) {
                counters.received();
                counters.rejected(RejectReason.UNKNOWN_RESOURCE);
                unknownTopic.accept(connection.getClientID(), topic);
                // MQTT 5 hears "not authorized" in its PUBACK from the broker's permissions; a 3.1.1 client cannot be
                // told, so its connection is closed here ([MQTT-3.3.5-2]) rather than by the broker's error path
                return MQTT_5.equals(connection.getProtocolName());
            }
            if (isolation != null && !MQTT_5.equals(connection.getProtocolName())
                    && !isolation.mayPublishQuietly(connection.getSubject(), topic)) {
                return false; // 3.1.1 cannot be told ([MQTT-3.3.5-2]); MQTT 5 hears PUBACK 0x87 from the guard
            }
        }
        return true;
    }

    /**
     * Answers a refused client id in the protocol's words before the broker closes the connection (CONNACK 0x02
     * identifier rejected, MQTT 5 0x85 client identifier not valid): a client that only sees the connection close
     * would reconnect at once, for ever.
     */
    private static void refuseClientId(MqttConnectMessage connect, RemotingConnection connection) {
        if (connection.getTransportConnection() instanceof NettyConnection netty) {
            MqttConnectReturnCode code = connect.variableHeader().version() == 5
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
            netty.getChannel().writeAndFlush(new MqttConnAckMessage(
                    new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttConnAckVariableHeader(code, false)));
        }
    }

    /**
     * A refused publish (the broker could not keep it durably: 0x97 quota exceeded; a topic outside the gateway's: 0x87
     * not authorized): MQTT 5 with QoS 1 or 2 hears the reason in its PUBACK or PUBREC before its connection is
     * closed; 3.1.1 has no way to say it ([MQTT-3.3.5-2]) and is disconnected. Nothing of it was acknowledged.
     */
    private static void refusePublish(MqttPublishMessage publish, RemotingConnection connection, byte reason) {
        if (MQTT_5.equals(connection.getProtocolName()) && publish.fixedHeader().qosLevel() != MqttQoS.AT_MOST_ONCE
                && connection.getTransportConnection() instanceof NettyConnection netty) {
            MqttMessageType answer = publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE
                    ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
            netty.getChannel().writeAndFlush(new MqttMessage(
                    new MqttFixedHeader(answer, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttPubReplyMessageVariableHeader(publish.variableHeader().packetId(), reason,
                            MqttProperties.NO_PROPERTIES)));
        }
    }

    /** 3.1.1: bad user name or password, not authorized; 5: the same two, plus banned. */
    private static boolean refusedLogin(byte code) {
        return code == 0x04 || code == 0x05 || code == (byte) 0x86 || code == (byte) 0x87 || code == (byte) 0x8A;
    }
}
