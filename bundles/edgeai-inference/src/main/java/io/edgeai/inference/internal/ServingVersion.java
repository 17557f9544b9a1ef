package io.edgeai.inference.internal;

import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.monitoring.Meters;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded, warm model version and its batcher; closing drains its queue, then frees the model. The batcher and the
 * settings around it may be replaced while the version serves ({@link #rebatch}): the model stays loaded, the
 * replaced batcher finishes what it queued.
 */
final class ServingVersion {

    private static final Logger LOG = LoggerFactory.getLogger(ServingVersion.class);

    /**
     * How the version takes requests: its batcher, the most rows one request may carry, the seconds a sender refused
     * for a full queue is told to wait. Read once per request, so one request sees one set.
     */
    record Lane(Batcher batcher, int maxRows, int retryAfterSeconds) {
        Lane {
            retryAfterSeconds = Math.max(1, retryAfterSeconds);
        }
    }

    final ModelVersion version;
    /** The version's own fitted pipeline (pipeline.json) that serves the devices' readings, or null. */
    final io.edgeai.api.preprocess.Pipeline pipeline;
    /** Fresh copies of that pipeline, for requests that are a sequence of their own; null without a pipeline. */
    final java.util.function.Supplier<io.edgeai.api.preprocess.Pipeline> pipelineCopies;
    /** Times each request from its arrival to its outputs; null when nothing is timed. */
    final Meters.Meter latency;
    /** Explains the version's answers; null when it cannot (a version served without its model, in tests). */
    final Explainer explainer;
    private final AutoCloseable model;
    private volatile Lane lane;
    private boolean closed;

    ServingVersion(ModelVersion version, Batcher batcher, int maxRows, AutoCloseable model) {
        this(version, batcher, maxRows, model, null, 1, null, null);
    }

    ServingVersion(ModelVersion version, Batcher batcher, int maxRows, AutoCloseable model,
            java.util.function.Supplier<io.edgeai.api.preprocess.Pipeline> pipelineCopies, int retryAfterSeconds,
            Meters.Meter latency, Explainer explainer) {
        this.latency = latency;
        this.explainer = explainer;
        this.version = version;
        this.lane = new Lane(batcher, maxRows, retryAfterSeconds);
        this.model = model;
        this.pipelineCopies = pipelineCopies;
        this.pipeline = pipelineCopies == null ? null : pipelineCopies.get();
    }

    /** How the version takes requests now. */
    Lane lane() {
        return lane;
    }

    /** Its batcher now. */
    Batcher batcher() {
        return lane.batcher();
    }

    /** The most rows one request may carry (one batch). */
    int batcherMaxRows() {
        return lane.maxRows();
    }

    /**
     * Serves on from {@code next}: requests from now on go to its batcher. Returns the batcher to close (the replaced
     * one finishes what it queued): the one it replaced, or {@code next}'s when this version is closed already.
     */
    synchronized Batcher rebatch(Lane next) {
        if (closed) {
            return next.batcher();
        }
        Batcher previous = lane.batcher();
        lane = next;
        return previous;
    }

    /** Finishes the requests it accepted, then closes the model. */
    void close(long drainSeconds) {
        Lane last;
        synchronized (this) {
            closed = true;
            last = lane;
        }
        closeBatcher(last.batcher(), drainSeconds);
        try {
            model.close();
        } catch (Exception e) {
            LOG.warn("Model {} version {}: closing failed: {}", version.model(), version.version(), e.toString());
        }
    }

    static void closeBatcher(Batcher batcher, long drainSeconds) {
        try {
            batcher.close(drainSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
