package io.edgeai.connector.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/** The MQTT ingest's wait for its uplink at start. */
public class ReadyGateTest {

    @Test
    public void passesAtOnceWhenTheConditionHolds() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        assertTrue(new ReadyGate(() -> checks.incrementAndGet() > 0).await(60_000, () -> false));
        assertEquals(1, checks.get());
    }

    @Test
    public void aRecheckWakesTheWaiterLongBeforeThePeriodicCheck() throws Exception {
        AtomicBoolean up = new AtomicBoolean();
        AtomicInteger checks = new AtomicInteger();
        ReadyGate gate = new ReadyGate(() -> {
            checks.incrementAndGet();
            return up.get();
        });
        CompletableFuture<Boolean> passed = CompletableFuture.supplyAsync(() -> awaitQuietly(gate, 60_000));
        untilFirstCheck(checks); // the waiter has looked once and found the condition false
        assertFalse(passed.isDone());
        long told = System.nanoTime();
        up.set(true);
        gate.recheck();
        assertTrue(passed.get(30, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - told);
        assertTrue("woken after " + tookMillis + " ms", tookMillis < ReadyGate.CHECK_MILLIS / 2);
    }

    @Test
    public void aChangeNobodyToldOfIsSeenByThePeriodicCheck() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        // holds from its third check on: the first is at once, the next ones come from the periodic check alone
        assertTrue(new ReadyGate(() -> checks.incrementAndGet() >= 3).await(60_000, () -> false));
        assertEquals(3, checks.get());
    }

    @Test
    public void givesUpWhenTheTimeRunsOut() throws Exception {
        long start = System.nanoTime();
        assertFalse(new ReadyGate(() -> false).await(300, () -> false));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue("gave up after " + tookMillis + " ms",
                tookMillis >= 300 && tookMillis < 300 + ReadyGate.CHECK_MILLIS);
    }

    @Test
    public void aStopEndsTheWaitWhenItRechecks() throws Exception {
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicInteger checks = new AtomicInteger();
        ReadyGate gate = new ReadyGate(() -> checks.incrementAndGet() < 0);
        CompletableFuture<Boolean> passed = CompletableFuture.supplyAsync(() -> awaitQuietly(gate, 60_000,
                stopped::get));
        untilFirstCheck(checks);
        long told = System.nanoTime();
        stopped.set(true);
        gate.recheck();
        assertFalse(passed.get(30, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - told);
        assertTrue("stopped after " + tookMillis + " ms", tookMillis < ReadyGate.CHECK_MILLIS / 2);
    }

    /** Waits (at most 30 s) until the waiter has checked its condition once. */
    private static void untilFirstCheck(AtomicInteger checks) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (checks.get() == 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertTrue("the waiter never checked its condition", checks.get() > 0);
    }

    private static boolean awaitQuietly(ReadyGate gate, long timeoutMillis) {
        return awaitQuietly(gate, timeoutMillis, () -> false);
    }

    private static boolean awaitQuietly(ReadyGate gate, long timeoutMillis, java.util.function.BooleanSupplier stop) {
        try {
            return gate.await(timeoutMillis, stop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
