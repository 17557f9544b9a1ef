package io.edgeai.connector.support;

/**
 * The thread of an uplink that moves messages from its outbox to a far end until stopped: whether the far end took the
 * last attempt, why not, why the worker gave up for good; a growing delay between attempts that a stop cuts short;
 * and a stop that waits for the message in hand, then {@linkplain #abort() aborts} what still waits.
 */
public abstract class UplinkWorker implements Runnable {

    private final Thread thread;
    private final Object pause = new Object();
    private volatile boolean running = true;
    /** Whether the far end took the last attempt. */
    protected volatile boolean connected;
    /** Why the last attempt failed, or null. */
    protected volatile String lastError;
    /** Why the worker stopped for good (its local store is gone), or null. */
    protected volatile String failure;

    protected UplinkWorker(String threadName, boolean connectedAtFirst, String lastError) {
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
        this.connected = connectedAtFirst;
        this.lastError = lastError;
    }

    public final void start() {
        thread.start();
    }

    public final boolean connected() {
        return connected;
    }

    public final String lastError() {
        return lastError;
    }

    public final String failure() {
        return failure;
    }

    /** False once stopping. */
    protected final boolean running() {
        return running;
    }

    /** Stop after the attempt in hand (an interrupted wait). */
    protected final void stopRunning() {
        running = false;
    }

    /** Waits {@code delay} ms (less when stopped meanwhile); returns the next delay, doubled up to {@code max}. */
    protected final long backOff(long delay, long max) {
        synchronized (pause) {
            if (running) {
                try {
                    pause.wait(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
        return Math.min(delay * 2, max);
    }

    /** Cuts short what the worker waits for at a stop that takes too long (e.g. a far end that does not answer). */
    protected void abort() {
    }

    /**
     * Stops: the worker finishes the attempt in hand within half the time, else it is {@linkplain #abort() aborted};
     * what the far end did not take stays in the outbox. True when the thread is gone.
     */
    public final boolean stop(long timeoutMillis) throws InterruptedException {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        thread.join(Math.max(1, timeoutMillis / 2));
        if (thread.isAlive()) {
            abort();
            thread.join(Math.max(1, timeoutMillis / 2));
        }
        return !thread.isAlive();
    }
}
