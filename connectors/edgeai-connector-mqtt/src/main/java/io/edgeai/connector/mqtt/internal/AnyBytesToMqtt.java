package io.edgeai.connector.mqtt.internal;

import io.netty.channel.ChannelPipeline;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyServerConnection;
import org.apache.activemq.artemis.spi.core.protocol.ConnectionEntry;
import org.apache.activemq.artemis.spi.core.protocol.ProtocolManager;
import org.apache.activemq.artemis.spi.core.protocol.ProtocolManagerFactory;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.apache.activemq.artemis.spi.core.remoting.Connection;

/**
 * What an MQTT listener does with a connection whose first bytes are no known protocol. Artemis would log an ERROR
 * for every read of it and keep it open for good; this protocol manager, put in the listener's protocol map, takes
 * such connections ({@link #acceptsNoHandshake()}) and hands them to the listener's MQTT protocol, whose decoder
 * refuses the bytes and closes the connection as MQTT requires: a PUBLISH before CONNECT, random bytes, a malformed
 * CONNECT. Each is counted once ({@code closed.not_mqtt}). Everything else is the MQTT protocol manager's.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class AnyBytesToMqtt implements ProtocolManager {

    /** Its name in a listener's protocol map. */
    static final String NAME = "EDGEAI-NOT-MQTT";

    private final ProtocolManager mqtt;
    private final Consumer<ChannelPipeline> taken;

    AnyBytesToMqtt(ProtocolManager mqtt, Consumer<ChannelPipeline> taken) {
        this.mqtt = mqtt;
        this.taken = taken;
    }

    @Override
    public boolean acceptsNoHandshake() {
        return true;
    }

    @Override
    public boolean isProtocol(byte[] array) {
        return false;
    }

    @Override
    public void addChannelHandlers(ChannelPipeline pipeline) {
        taken.accept(pipeline);
        mqtt.addChannelHandlers(pipeline);
    }

    @Override
    public ProtocolManagerFactory getFactory() {
        return mqtt.getFactory();
    }

    @Override
    public void updateInterceptors(List incoming, List outgoing) {
        // the MQTT protocol manager of the same listener is updated by the broker itself
    }

    @Override
    public ConnectionEntry createConnectionEntry(Acceptor acceptorUsed, Connection connection) {
        return mqtt.createConnectionEntry(acceptorUsed, connection);
    }

    @Override
    public void removeHandler(String name) {
        mqtt.removeHandler(name);
    }

    @Override
    public void handleBuffer(RemotingConnection connection, ActiveMQBuffer buffer) {
        mqtt.handleBuffer(connection, buffer);
    }

    @Override
    public void handshake(NettyServerConnection connection, ActiveMQBuffer buffer) {
        mqtt.handshake(connection, buffer);
    }

    @Override
    public List<String> websocketSubprotocolIdentifiers() {
        return List.of();
    }

    @Override
    public void setAnycastPrefix(String anycastPrefix) {
        // the MQTT protocol manager's prefixes apply
    }

    @Override
    public void setMulticastPrefix(String multicastPrefix) {
        // the MQTT protocol manager's prefixes apply
    }

    @Override
    public Map<SimpleString, RoutingType> getPrefixes() {
        return mqtt.getPrefixes();
    }

    @Override
    public void setSecurityDomain(String securityDomain) {
        // the MQTT protocol manager's security domain applies
    }

    @Override
    public String getSecurityDomain() {
        return mqtt.getSecurityDomain();
    }

    @Override
    public org.apache.activemq.artemis.core.server.routing.RoutingHandler getRoutingHandler() {
        return (org.apache.activemq.artemis.core.server.routing.RoutingHandler) mqtt.getRoutingHandler();
    }
}
