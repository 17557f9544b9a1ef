package io.edgeai.fleet.kafka.internal;

import io.edgeai.api.outbox.Outbox;
import io.edgeai.connector.support.UplinkWorker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the outbox's messages to the cluster a batch at a time: all are handed to the producer at once (it batches
 * them per partition), then each one's acknowledgement is awaited in order, however long the cluster is away (the
 * idempotent producer retries by itself, in order, without duplicates); the outbox lets go of the longest prefix the
 * cluster acknowledged, and on a failure (an error the cluster answered, or the gateway stopping) gives back the rest,
 * drops the producer (a new one starts clean) and tries again after a growing delay. A message leaves the outbox only once every in-sync replica has it, so nothing is
 * lost through outages of the cluster or restarts of the gateway; a message sent again after a failure keeps its
 * sequence number, so a receiver can tell it (at least once, in order per device).
 */
final class FleetForwarder extends UplinkWorker {

    private static final Logger LOG = LoggerFactory.getLogger(FleetForwarder.class);
    private static final long POLL_MILLIS = 500;
    private static final long FIRST_DELAY_MILLIS = 500;

    private final Outbox outbox;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private final Function<Outbox.Kept, ProducerRecord<byte[], byte[]>> records;
    private final long maxDelayMillis;
    private final LongAdder forwarded;
    private final LongAdder tooLarge;
    private volatile Producer<byte[], byte[]> producer;

    FleetForwarder(Outbox outbox, Supplier<Producer<byte[], byte[]>> producers,
            Function<Outbox.Kept, ProducerRecord<byte[], byte[]>> records, long maxDelayMillis, LongAdder forwarded,
            LongAdder tooLarge) {
        super("edgeai-fleet-kafka", true, null); // until a batch fails, the cluster is taken to be there
        this.outbox = outbox;
        this.producers = producers;
        this.records = records;
        this.maxDelayMillis = maxDelayMillis;
        this.forwarded = forwarded;
        this.tooLarge = tooLarge;
    }

    @Override
    public void run() {
        long delay = FIRST_DELAY_MILLIS;
        while (running()) {
            try {
                List<Outbox.Kept> batch = outbox.take(POLL_MILLIS);
                if (batch.isEmpty()) {
                    continue;
                }
                String error = send(batch);
                if (error == null) {
                    if (!connected) {
                        LOG.info("Fleet link: the cluster takes messages; {} kept", outbox.size());
                    }
                    connected = true;
                    lastError = null;
                    delay = FIRST_DELAY_MILLIS;
                    continue;
                }
                outbox.retry();
                closeProducer();
                if (!running()) {
                    LOG.info("Fleet link stopping: {} messages kept for the next start", outbox.size());
                    break;
                }
                if (connected || !error.equals(lastError)) {
                    LOG.warn("Fleet link: {}; keeping {} messages, retrying in {} ms", error, outbox.size(), delay);
                }
                connected = false;
                lastError = error;
                delay = backOff(delay, maxDelayMillis);
            } catch (IOException e) {
                if (running()) {
                    failure = e.getMessage();
                    LOG.warn("Fleet link stopped: {}", failure);
                }
                break;
            }
        }
        closeProducer();
    }

    /** Sends a batch; returns null when the cluster has all of it, else why not (the outbox kept what it lacks). */
    private String send(List<Outbox.Kept> batch) throws IOException {
        if (producer == null) {
            producer = producers.get();
        }
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(batch.size());
        for (Outbox.Kept kept : batch) {
            out.add(records.apply(kept));
        }
        // each topic's partitions first: a record whose topic the producer does not know yet fails inside send()
        // after max.block.ms, outside the producer's ordering, and a later record of its device could overtake it
        for (String topic : out.stream().map(ProducerRecord::topic).distinct().toList()) {
            try {
                producer.partitionsFor(topic);
            } catch (KafkaException e) {
                return describe(e);
            }
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        String error = null;
        for (ProducerRecord<byte[], byte[]> record : out) {
            try {
                sent.add(producer.send(record));
            } catch (KafkaException e) {
                error = describe(e);
                break;
            }
        }
        Outbox.Kept delivered = null;
        int count = 0;
        for (int i = 0; i < sent.size(); i++) {
            Throwable failed = await(sent.get(i));
            if (failed instanceof RecordTooLargeException && error == null) {
                // never taken: kept, it would block the outbox for good
                tooLarge.increment();
                LOG.warn("Fleet link: message {} ({} bytes) is larger than the cluster takes; dropped",
                        batch.get(i).seq(), batch.get(i).body().length);
                delivered = batch.get(i);
            } else if (failed != null && error == null) {
                error = describe(failed);
            } else if (error == null) {
                delivered = batch.get(i);
                count++;
            }
        }
        if (delivered != null) {
            forwarded.add(count); // they are in the cluster, whatever happens to the outbox now
            outbox.delivered(delivered);
        }
        return error;
    }

    /**
     * Waits for the cluster's acknowledgement of one message, however long the cluster is away (the producer retries
     * by itself, in order; while it waits, the link says so); returns why it failed, or null.
     */
    private Throwable await(Future<RecordMetadata> acknowledgement) {
        while (true) {
            try {
                acknowledgement.get(POLL_MILLIS * 4, TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (TimeoutException e) {
                if (connected) {
                    LOG.warn("Fleet link: the cluster does not acknowledge; {} messages kept until it does",
                            outbox.size());
                    connected = false;
                    lastError = "waiting for the cluster to acknowledge";
                }
                if (!running()) {
                    return e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRunning();
                return e;
            }
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }


    private void closeProducer() {
        Producer<byte[], byte[]> open = producer;
        producer = null;
        if (open != null) {
            try {
                open.close(Duration.ZERO); // what it still holds fails: the outbox has it
            } catch (KafkaException e) {
                LOG.debug("Fleet link: closing the producer: {}", e.getMessage());
            }
        }
    }

    /** A cluster that does not answer while the gateway stops: the batch in hand fails, the outbox keeps it. */
    @Override
    protected void abort() {
        Producer<byte[], byte[]> open = producer;
        if (open != null) {
            open.close(Duration.ZERO);
        }
    }
}
