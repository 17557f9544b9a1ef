package io.edgeai.inference.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching for one model version: concurrent requests wait in a bounded queue; a worker takes the first,
 * gathers what is already waiting and what keeps arriving - until {@code maxBatchRows} rows, {@code maxDelayNanos}
 * after the first, or no new request for {@code quietNanos} - runs them as one batch and hands each request its rows
 * of the output. The quiet gap keeps a lone request from waiting the whole delay, and lets a burst fill the batch. A full queue refuses at once (the caller answers "overloaded"),
 * so a burst never grows the latency of everyone without bound.
 *
 * <p>{@link #close} stops taking requests, lets the workers finish every request already queued, and returns when
 * they are done: nothing accepted is lost.
 */
final class Batcher {

    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

    /** Runs one batch: rows in, one output row per input row. One runner per worker thread. */
    interface Runner extends AutoCloseable {
        float[][] run(float[][] rows) throws Exception;

        /** Runs a batch; {@code traffic} is false for a batch of evaluation requests (no live traffic). */
        default float[][] run(float[][] rows, boolean traffic) throws Exception {
            return run(rows);
        }

        @Override
        default void close() {
        }
    }

    /** What {@link #submit} did with a request. */
    enum Admission { QUEUED, FULL, CLOSED }

    /** A request; {@code traffic} false for the gateway's own evaluations, never batched with live requests. */
    private record Request(float[][] rows, CompletableFuture<float[][]> result, long enqueuedNanos, boolean traffic) {
    }

    private final String name;
    private final ArrayBlockingQueue<Request> queue;
    private final int maxBatchRows;
    private final long maxDelayNanos;
    private final long quietNanos;
    private final List<Thread> workers = new ArrayList<>();
    private int entered;
    private boolean closed;
    private volatile boolean stopping;

    // the counts, shared with the batcher this one replaces (a version re-batched with new settings counts on)
    final LongAdder requests;
    final LongAdder rows;
    final LongAdder batches;
    final LongAdder failures;
    final LongAdder refused;
    final AtomicLong largestBatch;

    Batcher(String name, int queueCapacity, int maxBatchRows, long maxDelayNanos, int workerCount,
            Supplier<Runner> runners) {
        this(name, queueCapacity, maxBatchRows, maxDelayNanos, maxDelayNanos, workerCount, runners);
    }

    Batcher(String name, int queueCapacity, int maxBatchRows, long maxDelayNanos, long quietNanos, int workerCount,
            Supplier<Runner> runners) {
        this(name, queueCapacity, maxBatchRows, maxDelayNanos, quietNanos, workerCount, runners, null);
    }

    /**
     * A batcher whose counts go on from {@code countsFrom}'s (both count into the same sums while that one drains), or
     * start at zero when it is null.
     */
    Batcher(String name, int queueCapacity, int maxBatchRows, long maxDelayNanos, long quietNanos, int workerCount,
            Supplier<Runner> runners, Batcher countsFrom) {
        this.requests = countsFrom == null ? new LongAdder() : countsFrom.requests;
        this.rows = countsFrom == null ? new LongAdder() : countsFrom.rows;
        this.batches = countsFrom == null ? new LongAdder() : countsFrom.batches;
        this.failures = countsFrom == null ? new LongAdder() : countsFrom.failures;
        this.refused = countsFrom == null ? new LongAdder() : countsFrom.refused;
        this.largestBatch = countsFrom == null ? new AtomicLong() : countsFrom.largestBatch;
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatchRows = maxBatchRows;
        this.maxDelayNanos = maxDelayNanos;
        this.quietNanos = Math.min(quietNanos, maxDelayNanos);
        for (int i = 0; i < workerCount; i++) {
            Runner runner = runners.get();
            Thread worker = new Thread(() -> work(runner), "edgeai-infer-" + name + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    int queued() {
        return queue.size();
    }

    /** The most requests its queue holds. */
    int capacity() {
        return queue.size() + queue.remainingCapacity();
    }

    /** Queues a request; its future completes with the outputs or the failure. */
    Admission submit(float[][] input, CompletableFuture<float[][]> result) {
        return submit(input, result, true);
    }

    /** Queues a request, live traffic or an evaluation (not counted, batched only with evaluations). */
    Admission submit(float[][] input, CompletableFuture<float[][]> result, boolean traffic) {
        synchronized (this) {
            if (closed) {
                return Admission.CLOSED;
            }
            entered++;
        }
        try {
            if (!queue.offer(new Request(input, result, System.nanoTime(), traffic))) {
                if (traffic) {
                    refused.increment();
                }
                return Admission.FULL;
            }
            if (traffic) {
                requests.increment();
            }
            return Admission.QUEUED;
        } finally {
            synchronized (this) {
                entered--;
                notifyAll();
            }
        }
    }

    private void work(Runner runner) {
        Request carried = null;
        try {
            while (true) {
                Request first = carried != null ? carried : queue.poll(50, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    if (stopping && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                List<Request> batch = new ArrayList<>();
                batch.add(first);
                int total = first.rows().length;
                long deadline = System.nanoTime() + maxDelayNanos;
                while (total < maxBatchRows) {
                    long wait = Math.min(deadline - System.nanoTime(), quietNanos);
                    Request next = wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (total + next.rows().length > maxBatchRows || next.traffic() != first.traffic()) {
                        carried = next; // first of the next batch, so that its order is kept
                        break;
                    }
                    batch.add(next);
                    total += next.rows().length;
                }
                run(runner, batch, total);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runner.close();
        }
    }

    private void run(Runner runner, List<Request> batch, int total) {
        float[][] input = new float[total][];
        int at = 0;
        for (Request r : batch) {
            for (float[] row : r.rows()) {
                input[at++] = row;
            }
        }
        float[][] output;
        try {
            output = runner.run(input, batch.get(0).traffic());
            if (output.length != total) {
                throw new IllegalStateException("the model gave " + output.length + " output rows for " + total);
            }
        } catch (Exception | LinkageError e) {
            if (batch.get(0).traffic()) {
                failures.add(batch.size());
            }
            LOG.warn("Model {}: a batch of {} rows failed: {}", name, total, e.toString());
            batch.forEach(r -> r.result().completeExceptionally(e));
            return;
        }
        if (batch.get(0).traffic()) {
            batches.increment();
            rows.add(total);
            largestBatch.accumulateAndGet(total, Math::max);
        }
        at = 0;
        for (Request r : batch) {
            float[][] mine = new float[r.rows().length][];
            System.arraycopy(output, at, mine, 0, mine.length);
            at += mine.length;
            r.result().complete(mine);
        }
    }

    /** Refuses new requests, finishes the queued ones, stops the workers; returns when they are done. */
    void close(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            closed = true;
            while (entered > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        stopping = true;
        for (Thread worker : workers) {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (Thread worker : workers) {
            if (worker.isAlive()) {
                LOG.warn("Model {}: a worker still busy after {} {}; interrupting it", name, timeout, unit);
                worker.interrupt();
            }
        }
        Request left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("model " + name + " closed"));
        }
    }
}
