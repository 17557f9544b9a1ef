package io.edgeai.preprocess.internal;

import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Preprocessed;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.RejectReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One named pipeline as a service: its current revision serves every reading, start to end, so a change of the
 * definition never processes a reading half with the old steps and half with the new. Readings of one device go
 * through one at a time (the steps keep per-device state: windows, last values), devices in parallel.
 *
 * <p>A revision with learning steps and a {@code fit} section first collects that many readings (answered without
 * features), then fits, freezes, hands its fitted form to {@code onFitted} (which persists it) and serves.
 */
final class LivePipeline implements Pipeline {

    private static final int STRIPES = 64;

    /** One revision: the definition and its steps; {@code learning} is non-null while it still collects samples. */
    private static final class Revision {
        final long number;
        final FittedPipeline pipeline;
        final Instant loaded;
        volatile List<Sample> learning;

        Revision(long number, FittedPipeline pipeline, List<Sample> learning) {
            this.number = number;
            this.pipeline = pipeline;
            this.loaded = Instant.now();
            this.learning = learning;
        }
    }

    private final String name;
    private final Consumer<FittedPipeline> onFitted;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private volatile Revision current;
    private volatile String source;
    private volatile String error;
    private volatile Instant changed = Instant.now();

    private final LongAdder readings = new LongAdder();
    private final LongAdder features = new LongAdder();
    private final LongAdder empty = new LongAdder();
    private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);
    /** Where its counters are published (none for a model version's own copy); refusals join at their first. */
    private volatile MeterSet meters;
    private final java.util.Set<RejectReason> metered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    LivePipeline(String name, Consumer<FittedPipeline> onFitted) {
        this.name = name;
        this.onFitted = onFitted;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, new LongAdder());
        }
    }

    /**
     * Makes a pipeline the serving revision: a fitted (or restored) one serves at once; one that learns and is not
     * fitted collects its {@code fit.samples} first.
     */
    synchronized long install(FittedPipeline pipeline, boolean fitted, String source) {
        long number = current == null ? 1 : current.number + 1;
        List<Sample> learning = null;
        if (!fitted) {
            if (pipeline.learns()) {
                learning = new ArrayList<>();
            } else {
                pipeline.fit(List.of());
            }
        }
        current = new Revision(number, pipeline, learning);
        this.source = source;
        this.error = null;
        this.changed = Instant.now();
        return number;
    }

    /** The file's newest text was refused: the running revision stays, the error is shown. */
    synchronized void refused(String source, String error) {
        this.source = source;
        this.error = error;
        this.changed = Instant.now();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Preprocessed process(Reading reading) throws PreprocessException {
        Revision revision = current;
        readings.increment();
        Sample sample = new Sample(reading.deviceId(), reading.timestamp(), reading.values());
        if (revision.learning != null && learn(revision, sample)) {
            empty.increment();
            return new Preprocessed(name, revision.number, List.of());
        }
        ReentrantLock lock = stripes[Math.floorMod(reading.deviceId().hashCode(), STRIPES)];
        List<Sample> out;
        lock.lock();
        try {
            out = revision.pipeline.applyOwned(sample);
        } catch (PreprocessException e) {
            LongAdder count = rejected.get(e.reason());
            count.increment();
            MeterSet published = meters;
            if (published != null && metered.add(e.reason())) {
                meterRejected(published, e.reason(), count);
            }
            throw e;
        } finally {
            lock.unlock();
        }
        if (out.isEmpty()) {
            empty.increment();
            return new Preprocessed(name, revision.number, List.of());
        }
        features.add(out.size());
        List<Features> vectors = new ArrayList<>(out.size());
        for (Sample s : out) {
            vectors.add(toFeatures(s));
        }
        return new Preprocessed(name, revision.number, vectors);
    }

    /** Publishes its counters in {@code set}: readings, features, empty, and refusals by reason once counted. */
    void meter(MeterSet set) {
        set.counter("edgeai.pipeline.readings", "Readings the pipeline took", readings, LongAdder::sum, "pipeline", name);
        set.counter("edgeai.pipeline.features", "Feature vectors the pipeline made", features, LongAdder::sum,
                "pipeline", name);
        set.counter("edgeai.pipeline.empty", "Readings that completed no feature vector (a window filling, learning)",
                empty, LongAdder::sum, "pipeline", name);
        this.meters = set;
        rejected.forEach((reason, count) -> {
            if (count.sum() > 0 && metered.add(reason)) {
                meterRejected(set, reason, count);
            }
        });
    }

    private void meterRejected(MeterSet set, RejectReason reason, LongAdder count) {
        set.counter("edgeai.pipeline.rejected", "Readings the pipeline refused, by reason", count, LongAdder::sum,
                "pipeline", name, "reason", reason.metricTag());
    }

    /** Collects a learning sample; true while learning goes on, false once the revision is fitted and serves. */
    private boolean learn(Revision revision, Sample sample) {
        FittedPipeline fitted = null;
        synchronized (revision) {
            List<Sample> learning = revision.learning;
            if (learning == null) {
                return false;
            }
            learning.add(sample);
            if (learning.size() < revision.pipeline.definition().fitSamples()) {
                return true;
            }
            revision.pipeline.fit(learning);
            revision.learning = null;
            fitted = revision.pipeline;
        }
        onFitted.accept(fitted);
        return true;
    }

    static Features toFeatures(Sample sample) {
        List<String> names = new ArrayList<>(sample.values().keySet());
        float[] values = new float[names.size()];
        int i = 0;
        for (Double v : sample.values().values()) {
            values[i++] = v == null ? Float.NaN : v.floatValue();
        }
        return new Features(sample.deviceId(), sample.timestamp(), names, values);
    }

    @Override
    public PipelineStatus status() {
        Revision revision = current;
        Map<String, Long> counters = new TreeMap<>();
        counters.put("readings", readings.sum());
        counters.put("features", features.sum());
        counters.put("empty", empty.sum());
        rejected.forEach((reason, count) -> {
            if (count.sum() > 0) {
                counters.put("rejected." + reason.metricTag(), count.sum());
            }
        });
        if (revision == null) {
            return new PipelineStatus(name, source, PipelineStatus.State.FAILED, 0, "", null, null, error, changed,
                    counters);
        }
        List<Sample> learning = revision.learning;
        boolean serving = learning == null;
        String detail = serving ? "" : "learning " + learning.size() + "/"
                + revision.pipeline.definition().fitSamples();
        return new PipelineStatus(name, source, serving ? PipelineStatus.State.SERVING : PipelineStatus.State.LEARNING,
                revision.number, detail, revision.pipeline.definition().toJson(),
                serving && revision.pipeline.learns() ? revision.pipeline.fittedStateJson() : null, error, changed,
                counters);
    }
}
