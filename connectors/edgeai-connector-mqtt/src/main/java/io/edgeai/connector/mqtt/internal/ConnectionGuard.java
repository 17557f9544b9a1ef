package io.edgeai.connector.mqtt.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerConnectionPlugin;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes MQTT connections that hold the broker's resources without using them: one that has not completed CONNECT
 * within {@code connectSeconds} (a CONNECT whose length never arrives, a client that only opened the socket), and one
 * beyond {@code maxPerAddress} open connections from the same address. Each close is counted by reason
 * ({@code closed.no_connect}, {@code closed.connection_limit}) and logged at most once a minute as a summary, so that
 * a flood cannot fill the log.
 */
final class ConnectionGuard implements ActiveMQServerConnectionPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    static final String NO_CONNECT = "no_connect";
    static final String CONNECTION_LIMIT = "connection_limit";
    static final String NOT_MQTT = "not_mqtt";
    static final String BEFORE_CONNECT = "before_connect";
    static final String HTTP = "http";
    static final String LOGIN_REFUSED = "login_refused";

    private final ScheduledExecutorService scheduler;
    private final int connectSeconds;
    private final int maxPerAddress;
    private final Map<Object, String> addresses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closed = new ConcurrentHashMap<>();
    private final SummaryLog summary = new SummaryLog(LOG, 60_000);

    private final java.util.concurrent.ScheduledFuture<?> summaries;
    /** Told of each reason the first time a connection is closed for it, with its count (the connector's meters). */
    private final java.util.function.BiConsumer<String, LongAdder> newReason;

    ConnectionGuard(ScheduledExecutorService scheduler, int connectSeconds, int maxPerAddress,
            java.util.function.BiConsumer<String, LongAdder> newReason) {
        this.scheduler = scheduler;
        this.newReason = newReason;
        this.connectSeconds = connectSeconds;
        this.maxPerAddress = maxPerAddress;
        this.summaries = scheduler.scheduleWithFixedDelay(summary::flushIfDue, 60, 60, TimeUnit.SECONDS);
    }

    /** Stops the periodic summary (the connector is going away). */
    void close() {
        summaries.cancel(false);
        summary.flushIfDue();
    }

    @Override
    public void afterCreateConnection(RemotingConnection connection) {
        String protocol = connection.getProtocolName();
        if (protocol == null || !protocol.startsWith("MQTT")) {
            return; // the connector's own in-VM link, or another protocol of the broker
        }
        String address = host(connection.getRemoteAddress());
        addresses.put(connection.getID(), address);
        int open = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (maxPerAddress > 0 && open > maxPerAddress) {
            scheduler.execute(() -> close(connection, CONNECTION_LIMIT, "more than " + maxPerAddress
                    + " connections from " + address));
            return;
        }
        if (connectSeconds > 0) {
            scheduler.schedule(() -> {
                if (addresses.containsKey(connection.getID()) && connection.getClientID() == null) {
                    close(connection, NO_CONNECT, "no CONNECT within " + connectSeconds + " s from " + address);
                }
            }, connectSeconds, TimeUnit.SECONDS);
        }
    }

    @Override
    public void afterDestroyConnection(RemotingConnection connection) {
        String address = addresses.remove(connection.getID());
        if (address != null) {
            perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    /** Counts a connection closed by the MQTT side of the guard (bytes of no protocol, a packet before CONNECT). */
    void count(String reason, String remoteAddress) {
        closed.computeIfAbsent(reason, r -> {
            LongAdder count = new LongAdder();
            newReason.accept(r, count);
            return count;
        }).increment();
        summary.note(reason + " from " + host(remoteAddress));
    }

    private void close(RemotingConnection connection, String reason, String why) {
        count(reason, connection.getRemoteAddress());
        LOG.debug("Closing MQTT connection: {}", why);
        try {
            connection.getTransportConnection().forceClose();
        } catch (RuntimeException e) {
            LOG.debug("Connection already closed: {}", e.toString());
        }
    }

    /** Connections closed so far, by reason. */
    Map<String, Long> closedCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        closed.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    /** The host of a remote address as Netty writes it ({@code /10.0.0.7:51234}, {@code /[::1]:51234}). */
    static String host(String remote) {
        if (remote == null) {
            return "unknown";
        }
        String text = remote.startsWith("/") ? remote.substring(1) : remote;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            text = text.substring(slash + 1); // hostname/address:port
        }
        int colon = text.lastIndexOf(':');
        if (colon > 0 && text.indexOf(':') == colon) {
            return text.substring(0, colon); // IPv4 with port
        }
        if (text.startsWith("[") && text.contains("]")) {
            return text.substring(1, text.indexOf(']'));
        }
        return colon > 0 ? text.substring(0, colon) : text; // IPv6 as Java prints it: last colon is the port
    }
}
