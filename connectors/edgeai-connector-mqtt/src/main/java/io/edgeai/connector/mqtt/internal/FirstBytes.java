package io.edgeai.connector.mqtt.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the first bytes of each connection to an MQTT listener, before the broker picks a protocol from them. The
 * broker takes bytes that start like an HTTP request for its own HTTP transport, which on a gateway's MQTT port
 * answers nothing, keeps the connection open for good and buffers a request body of any size; and it logs an ERROR for
 * every connection that sends fewer than 8 bytes within its handshake timeout. So: a connection that starts with an
 * HTTP method gets {@code 400 Bad Request} ("this port speaks MQTT") and is closed ({@code closed.http}); one that has
 * not sent the 8 bytes the broker needs within {@code seconds} is closed ({@code closed.no_connect}); both counted by
 * the {@link ConnectionGuard}, which looks after the connection once the broker has chosen MQTT.
 */
final class FirstBytes extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(FirstBytes.class);
    /** What the broker reads before it chooses a protocol. */
    static final int DETECTED = 8;
    static final String NAME = "edgeai-first-bytes";
    private static final byte[] NOT_HTTP = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 44\r\nConnection: close\r\n\r\nThis port speaks MQTT (3.1.1, 5), not HTTP.\n")
            .getBytes(StandardCharsets.US_ASCII);
    /** The first two bytes of the methods the broker takes for HTTP. */
    private static final String[] HTTP_STARTS = {"GE", "PO", "PU", "HE", "OP", "PA", "DE", "TR"};

    private static final java.util.concurrent.atomic.AtomicBoolean CANNOT_REACH_SAID =
            new java.util.concurrent.atomic.AtomicBoolean();

    private final ConnectionGuard guard;
    private final int seconds;
    private final byte[] start = new byte[2];
    private int seen;
    private boolean refused;
    private ScheduledFuture<?> timeout;

    FirstBytes(ConnectionGuard guard, int seconds) {
        this.guard = guard;
        this.seconds = seconds;
    }

    /**
     * Added first to a new connection's pipeline, it moves itself, once the listener has set the pipeline up, in front
     * of the broker's protocol detection: behind TLS on a TLS listener, so that it reads what the client said.
     */
    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        String detection = null;
        for (Map.Entry<String, ChannelHandler> handler : pipeline) {
            if (handler.getValue().getClass().getName().endsWith("ProtocolDecoder")) {
                detection = handler.getKey();
            }
        }
        java.util.List<String> names = pipeline.names();
        if (detection != null && pipeline.first() == this && names.size() > 1 && !names.get(1).equals(detection)) {
            pipeline.addBefore(detection, NAME + "-placed", new FirstBytes(guard, seconds));
            pipeline.remove(this);
        }
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (seconds > 0 && timeout == null) {
            timeout = ctx.executor().schedule(() -> {
                if (ctx.channel().isActive() && !ctx.isRemoved()) {
                    guard.count(ConnectionGuard.NO_CONNECT, String.valueOf(ctx.channel().remoteAddress()));
                    ctx.close();
                }
            }, seconds, TimeUnit.SECONDS);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (refused) {
            bytes.release(); // the rest of an HTTP request, while the answer is on its way and the connection closing
            return;
        }
        int readable = bytes.readableBytes();
        for (int i = 0; i < readable && seen + i < start.length; i++) {
            start[seen + i] = bytes.getByte(bytes.readerIndex() + i);
        }
        seen += readable;
        if (seen >= start.length && looksLikeHttp(start)) {
            bytes.release();
            refused = true;
            cancelTimeout();
            guard.count(ConnectionGuard.HTTP, String.valueOf(ctx.channel().remoteAddress()));
            ctx.writeAndFlush(Unpooled.wrappedBuffer(NOT_HTTP)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (seen >= DETECTED) {
            done(ctx);
        }
        ctx.fireChannelRead(msg);
    }

    /** The broker has what it needs to choose a protocol: the rest is its and the {@link ConnectionGuard}'s. */
    private void done(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.pipeline().remove(this);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    static boolean looksLikeHttp(byte[] start) {
        String first = new String(start, 0, 2, StandardCharsets.ISO_8859_1);
        for (String method : HTTP_STARTS) {
            if (method.equals(first)) {
                return true;
            }
        }
        return false;
    }

    /**
     * On a listener's server channel: puts a {@link FirstBytes} first on each connection it accepts.
     */
    @ChannelHandler.Sharable
    static final class OnAccept extends ChannelInboundHandlerAdapter {

        static final String NAME = "edgeai-on-accept";
        private final ConnectionGuard guard;
        private final int seconds;

        OnAccept(ConnectionGuard guard, int seconds) {
            this.guard = guard;
            this.seconds = seconds;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel accepted) {
                accepted.pipeline().addFirst(FirstBytes.NAME, new FirstBytes(guard, seconds));
            }
            ctx.fireChannelRead(msg);
        }

        /** Puts this on each listening channel of {@code acceptor} ({@code on}) or takes it off. */
        void attach(Object acceptor, boolean on) {
            for (Channel channel : listening(acceptor)) {
                ChannelPipeline pipeline = channel.pipeline();
                ChannelHandler present = pipeline.get(NAME);
                if (on && present == null) {
                    pipeline.addFirst(NAME, this);
                } else if (on && present != this) {
                    pipeline.replace(NAME, NAME, this); // a previous connector's
                } else if (!on && present == this) {
                    pipeline.remove(NAME);
                }
            }
        }
    }

    /**
     * The channels a listener accepts connections on. The broker keeps them to itself (NettyAcceptor's
     * serverChannelGroup), so they are reached by reflection; when that fails (another Artemis version) there are none,
     * said at WARN.
     */
    static java.util.List<Channel> listening(Object acceptor) {
        try {
            Field field = acceptor.getClass().getDeclaredField("serverChannelGroup");
            field.setAccessible(true);
            Object group = field.get(acceptor);
            java.util.List<Channel> channels = new java.util.ArrayList<>();
            if (group != null) {
                for (Object channel : (Iterable<?>) group) {
                    channels.add((Channel) channel);
                }
            }
            return channels;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!CANNOT_REACH_SAID.getAndSet(true)) {
                LOG.warn("MQTT listener: cannot reach its listening channels ({}): HTTP requests to the MQTT port are"
                        + " kept open by the broker, and new connections are taken while the connector is updated",
                        e.toString());
            }
            return java.util.List.of();
        }
    }
}
