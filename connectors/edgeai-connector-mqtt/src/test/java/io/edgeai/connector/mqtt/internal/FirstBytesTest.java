package io.edgeai.connector.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;

public class FirstBytesTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ConnectionGuard guard = new ConnectionGuard(scheduler, 10, 0, (reason, count) -> { });

    @After
    public void stop() {
        guard.close();
        scheduler.shutdownNow();
    }

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new FirstBytes(guard, 10));
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    @Test
    public void anHttpRequestIsAnsweredWith400AndClosedAndNothingReachesTheBroker() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(bytes("POST /x HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n"));
        assertNull("passed on to the broker", channel.readInbound());
        ByteBuf answer = channel.readOutbound();
        assertTrue(answer.toString(StandardCharsets.US_ASCII), answer.toString(StandardCharsets.US_ASCII)
                .startsWith("HTTP/1.1 400 Bad Request\r\n"));
        answer.release();
        assertFalse(channel.isOpen());
        assertEquals(Long.valueOf(1), guard.closedCounts().get("http"));
    }

    @Test
    public void httpsFirstTwoBytesAreRecognisedAcrossReads() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(bytes("G"));
        assertTrue(channel.isOpen());
        channel.writeInbound(bytes("ET / HTTP/1.1\r\n\r\n"));
        assertFalse(channel.isOpen());
        assertEquals(Long.valueOf(1), guard.closedCounts().get("http"));
    }

    @Test
    public void mqttBytesPassUntouchedAndTheWatchStepsAside() {
        EmbeddedChannel channel = channel();
        byte[] connect = {0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0};
        channel.writeInbound(Unpooled.wrappedBuffer(connect, 0, 5));
        channel.writeInbound(Unpooled.wrappedBuffer(connect, 5, connect.length - 5));
        ByteBuf first = channel.readInbound();
        ByteBuf second = channel.readInbound();
        assertEquals(5, first.readableBytes());
        assertEquals(connect.length - 5, second.readableBytes());
        first.release();
        second.release();
        assertNull("removed once the broker has its 8 bytes", channel.pipeline().get(FirstBytes.class));
        channel.advanceTimeBy(11, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue("no timeout after the watch", channel.isOpen());
        assertTrue(guard.closedCounts().isEmpty());
    }

    @Test
    public void aConnectionThatSaysTooLittleIsClosedAfterTheTimeout() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x10, 0x0c}));
        ((ByteBuf) channel.readInbound()).release();
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
        assertEquals(Long.valueOf(1), guard.closedCounts().get("no_connect"));
    }

    /** Stands for the broker's protocol detection (found by its class name). */
    static final class StandInProtocolDecoder extends io.netty.channel.ChannelInboundHandlerAdapter {
    }

    @Test
    public void onATlsListenerItMovesBehindTlsInFrontOfTheProtocolDetection() {
        io.netty.channel.ChannelHandler tls = new io.netty.channel.ChannelInboundHandlerAdapter();
        EmbeddedChannel channel = new EmbeddedChannel(new FirstBytes(guard, 10), tls, new StandInProtocolDecoder());
        java.util.List<String> names = channel.pipeline().names();
        int watch = names.indexOf(FirstBytes.NAME + "-placed");
        assertTrue(names.toString(), watch > 0);
        assertTrue(names.toString(), channel.pipeline().get(names.get(watch + 1)) instanceof StandInProtocolDecoder);
        assertEquals(tls, channel.pipeline().get(names.get(watch - 1)));
    }
}
