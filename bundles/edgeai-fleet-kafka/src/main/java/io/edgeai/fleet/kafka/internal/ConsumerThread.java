package io.edgeai.fleet.kafka.internal;

import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread of its own that reads a topic until stopped: a stop wakes up the poll in progress ({@code
 * WakeupException} ends the loop), and the consumer is closed when the thread ends.
 */
abstract class ConsumerThread implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerThread.class);

    private static final long FIRST_DELAY_MILLIS = 1000;
    private static final long MAX_DELAY_MILLIS = 30_000;

    private final Thread thread;
    private final Object pause = new Object();
    private volatile boolean running = true;
    private String lastFailure;
    private long delay = FIRST_DELAY_MILLIS;
    /** The thread's consumer once it made one (set by {@link #run}'s implementation). */
    protected volatile Consumer<byte[], byte[]> consumer;

    protected ConsumerThread(String name) {
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    final void start() {
        thread.start();
    }

    final boolean running() {
        return running;
    }

    final void stopRunning() {
        running = false;
    }

    /**
     * A poll (or commit) that failed: said once for each new reason (a cluster that refuses for hours must not fill
     * the log), then a wait that doubles up to 30 s, cut short by a stop.
     */
    protected final void failed(String what, Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!reason.equals(lastFailure)) {
            LOG.warn("{}: {} failed: {}; trying again, quietly while the reason stays", thread.getName(), what,
                    reason);
            lastFailure = reason;
        }
        synchronized (pause) {
            if (running) {
                try {
                    pause.wait(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
        delay = Math.min(delay * 2, MAX_DELAY_MILLIS);
    }

    /** A poll that worked after failures: said once, and the wait starts short again. */
    protected final void succeeded(String what) {
        if (lastFailure != null) {
            LOG.info("{}: {} works again", thread.getName(), what);
            lastFailure = null;
        }
        delay = FIRST_DELAY_MILLIS;
    }

    /** Closes the consumer at the end of the thread. */
    protected final void closeConsumer() {
        Consumer<byte[], byte[]> open = consumer;
        if (open != null) {
            try {
                open.close(Duration.ofSeconds(2));
            } catch (KafkaException e) {
                LOG.debug("{}: closing: {}", thread.getName(), e.getMessage());
            }
        }
    }

    final boolean stop(long timeoutMillis) throws InterruptedException {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        Consumer<byte[], byte[]> open = consumer;
        if (open != null) {
            open.wakeup();
        }
        thread.join(timeoutMillis);
        return !thread.isAlive();
    }
}
