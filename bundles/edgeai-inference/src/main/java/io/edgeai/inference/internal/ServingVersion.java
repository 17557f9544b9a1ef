package io.edgeai.inference.internal;

import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.monitoring.Meters;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One loaded, warm model version and its batcher; closing drains its queue, then frees the model. */
final class ServingVersion {

    private static final Logger LOG = LoggerFactory.getLogger(ServingVersion.class);

    final ModelVersion version;
    final Batcher batcher;
    /** The version's own fitted pipeline (pipeline.json) that serves the devices' readings, or null. */
    final io.edgeai.api.preprocess.Pipeline pipeline;
    /** Fresh copies of that pipeline, for requests that are a sequence of their own; null without a pipeline. */
    final java.util.function.Supplier<io.edgeai.api.preprocess.Pipeline> pipelineCopies;
    /** Seconds a sender refused for a full queue is told to wait. */
    final int retryAfterSeconds;
    /** Times each request from its arrival to its outputs; null when nothing is timed. */
    final Meters.Meter latency;
    /** Explains the version's answers; null when it cannot (a version served without its model, in tests). */
    final Explainer explainer;
    private final int maxRows;
    private final AutoCloseable model;

    ServingVersion(ModelVersion version, Batcher batcher, int maxRows, AutoCloseable model) {
        this(version, batcher, maxRows, model, null, 1, null, null);
    }

    ServingVersion(ModelVersion version, Batcher batcher, int maxRows, AutoCloseable model,
            java.util.function.Supplier<io.edgeai.api.preprocess.Pipeline> pipelineCopies, int retryAfterSeconds,
            Meters.Meter latency, Explainer explainer) {
        this.latency = latency;
        this.explainer = explainer;
        this.version = version;
        this.batcher = batcher;
        this.maxRows = maxRows;
        this.model = model;
        this.pipelineCopies = pipelineCopies;
        this.pipeline = pipelineCopies == null ? null : pipelineCopies.get();
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** The most rows one request may carry (one batch). */
    int batcherMaxRows() {
        return maxRows;
    }

    /** Finishes the requests it accepted, then closes the model. */
    void close(long drainSeconds) {
        try {
            batcher.close(drainSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            model.close();
        } catch (Exception e) {
            LOG.warn("Model {} version {}: closing failed: {}", version.model(), version.version(), e.toString());
        }
    }
}
