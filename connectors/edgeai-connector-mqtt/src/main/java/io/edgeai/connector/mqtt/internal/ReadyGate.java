package io.edgeai.connector.mqtt.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Holds one thread until a condition holds, for at most a given time. The condition is checked when the gate is
 * {@linkplain #recheck() told} that something it depends on changed (a service bound), and at the latest every
 * {@link #CHECK_MILLIS}, for what changes without telling (a configuration deleted).
 */
final class ReadyGate {

    static final long CHECK_MILLIS = 1_000;

    private final BooleanSupplier condition;
    private final Object lock = new Object();
    private boolean changed;

    ReadyGate(BooleanSupplier condition) {
        this.condition = condition;
    }

    /** Something the condition depends on changed (or the waiter should stop): the waiting thread checks again now. */
    void recheck() {
        synchronized (lock) {
            changed = true;
            lock.notifyAll();
        }
    }

    /**
     * Waits until the condition holds; true then, false when {@code timeoutMillis} passed first or {@code stop} said
     * so (checked whenever the condition is).
     */
    boolean await(long timeoutMillis, BooleanSupplier stop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!stop.getAsBoolean()) {
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (lock) {
                if (!changed) {
                    lock.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, CHECK_MILLIS));
                }
                changed = false;
            }
        }
        return false;
    }
}
