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

    private final Thread thread;
    private volatile boolean running = true;
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
        Consumer<byte[], byte[]> open = consumer;
        if (open != null) {
            open.wakeup();
        }
        thread.join(timeoutMillis);
        return !thread.isAlive();
    }
}
