package io.edgeai.anomaly.internal;

import io.edgeai.api.anomaly.AnomalyVerdict;
import io.edgeai.api.anomaly.AnomalyWatch;
import io.edgeai.api.anomaly.WatchedStream.State;
import io.edgeai.api.anomaly.WatchedStream;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelState;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: each device stream gets its own anomaly model ({@link StreamWatch}), trained by a job of the
 * training service once its warm-up window is full, registered and promoted as {@code anomaly-<device>}, and retrained
 * on its recent normal readings every {@code retrainEvery} readings; each reading is scored by the promoted version
 * through the inference service (the same batcher as every other caller).
 */
@Component(service = {AnomalyWatch.class, MeterBinder.class}, configurationPid = "io.edgeai.anomaly")
@Designate(ocd = WatchConfig.class)
public class AnomalyWatchComponent implements AnomalyWatch, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(AnomalyWatchComponent.class);
    private static final int CHUNK = 32;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** After a training that could not start or failed, the next attempt waits this long. */
    private static final long RETRY_MILLIS = 30_000;

    private final WatchConfig config;
    private final WatchSettings settings;
    private final TrainingService training;
    private final InferenceService inference;
    private final ModelRegistry registry;
    private final WatchStore store;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final Map<String, WatchStore.Saved> saved;
    private final AtomicBoolean toldFull = new AtomicBoolean();
    /** Each stream's counters, added with the stream. */
    private final MeterSet meters = new MeterSet();

    /** One device's stream and what the watch does with it. */
    private static final class Stream {
        final String device;
        final String model;
        final StreamWatch watch;
        String job;
        StreamWatch.TrainingSet pending;
        long notBefore; // wall-clock millis before which no training is submitted
        int version;
        volatile long readings; // written by one reading at a time (the stream's chain), read by the meters
        volatile long anomalies;
        int trainings;
        Instant trained;
        String detail = "";
        CompletableFuture<AnomalyVerdict> tail = CompletableFuture.completedFuture(null);

        Stream(String device, String model, StreamWatch watch) {
            this.device = device;
            this.model = model;
            this.watch = watch;
        }
    }

    @Activate
    public AnomalyWatchComponent(@Reference TrainingService training, @Reference InferenceService inference,
            @Reference ModelRegistry registry, WatchConfig config) {
        this.config = config;
        this.training = training;
        this.inference = inference;
        this.registry = registry;
        this.settings = new WatchSettings(config.window(), config.warmupReadings(), config.retrainEvery(),
                config.trainingReadings(), config.thresholdFactor(), config.acceptAfter(), hidden(config.hidden()),
                config.epochs());
        this.store = new WatchStore(Paths.get(System.getProperty("karaf.data", "data"), "edgeai", "anomaly"));
        this.saved = new ConcurrentHashMap<>(store.load());
        LOG.info("Anomaly watch {}: {} readings of warm-up, retraining every {}, {} calibrated stream(s) restored",
                config.enabled() ? "on" : "off", settings.warmup(), settings.retrainEvery(), saved.size());
    }

    private static List<Integer> hidden(String text) {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                    .toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("anomaly watch: hidden = '" + text + "' (widths, e.g. 16,16)");
        }
    }

    @Override
    public CompletionStage<AnomalyVerdict> observe(Features features) {
        if (!config.enabled()) {
            return done(AnomalyVerdict.unscored(State.IGNORED, null,
                    "the anomaly watch is off (etc/io.edgeai.anomaly.cfg)"));
        }
        Stream stream = stream(features);
        if (stream == null) {
            return done(AnomalyVerdict.unscored(State.IGNORED, null, config.maxStreams() + " streams are watched"
                    + " already (maxStreams)"));
        }
        double[] values = new double[stream.watch.features().size()];
        for (int f = 0; f < values.length; f++) {
            int at = features.names().indexOf(stream.watch.features().get(f));
            float value = at < 0 ? Float.NaN : features.values()[at];
            if (!Float.isFinite(value)) {
                return done(AnomalyVerdict.unscored(State.IGNORED, stream.model, "not scored: the stream is watched"
                        + " on " + stream.watch.features() + " and this reading has no finite '"
                        + stream.watch.features().get(f) + "'"));
            }
            values[f] = value;
        }
        synchronized (stream) {
            // one reading of a stream at a time, in order, without holding a thread while the model answers
            CompletableFuture<AnomalyVerdict> next = stream.tail.thenCompose(previous -> step(stream, values));
            stream.tail = next;
            return next;
        }
    }

    private static CompletableFuture<AnomalyVerdict> done(AnomalyVerdict verdict) {
        return CompletableFuture.completedFuture(verdict);
    }

    /** One reading, once the stream's previous one is done (and a finished training is taken into use). */
    private CompletableFuture<AnomalyVerdict> step(Stream stream, double[] values) {
        CompletableFuture<Void> calibrated;
        synchronized (stream) {
            calibrated = collect(stream);
        }
        return calibrated.thenCompose(ignored -> score(stream, values)).exceptionally(e -> {
            LOG.warn("Anomaly watch: stream '{}': a reading could not be observed", stream.device, e);
            return AnomalyVerdict.unscored(State.WATCHING, stream.model, "not scored: " + e);
        });
    }

    private CompletableFuture<AnomalyVerdict> score(Stream stream, double[] values) {
        StreamWatch.Pending pending;
        synchronized (stream) {
            pending = stream.watch.prepare(values);
            if (pending == null) {
                stream.readings++;
                trainIfDue(stream);
                State state = stream.job != null && !stream.watch.calibrated() ? State.TRAINING : State.LEARNING;
                return done(AnomalyVerdict.unscored(state, stream.model, state == State.TRAINING
                        ? "training its first model (job " + stream.job + ")"
                        : "learning " + stream.watch.historySize() + "/" + stream.watch.learning().needed()));
            }
        }
        CompletableFuture<Prediction> asked;
        try {
            asked = inference.predict(stream.model, new float[][] {pending.row()}).toCompletableFuture();
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        return asked.handle((answer, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                return AnomalyVerdict.unscored(State.WATCHING, stream.model, "not scored: " + cause.getMessage());
            }
            synchronized (stream) {
                StreamWatch.Observation seen = stream.watch.finish(values, pending, answer.outputs()[0]);
                stream.readings++;
                if (seen.anomaly()) {
                    stream.anomalies++;
                }
                trainIfDue(stream);
                return new AnomalyVerdict(State.WATCHING, stream.model, answer.version(), seen.score(),
                        settings.thresholdFactor(), seen.anomaly(), stream.watch.named(seen.expected()), "");
            }
        });
    }

    private void trainIfDue(Stream stream) {
        if (stream.watch.trainingDue() && stream.job == null && System.currentTimeMillis() >= stream.notBefore) {
            submit(stream);
        }
    }

    private Stream stream(Features features) {
        Stream known = streams.get(features.deviceId());
        if (known != null) {
            return known;
        }
        if (streams.size() >= config.maxStreams()) {
            if (toldFull.compareAndSet(false, true)) {
                LOG.warn("Anomaly watch: {} streams are watched; device '{}' and later ones are not (maxStreams in"
                        + " etc/io.edgeai.anomaly.cfg)", streams.size(), features.deviceId());
            }
            return null;
        }
        return streams.computeIfAbsent(features.deviceId(), device -> {
            Stream stream = create(device, features);
            meters.counter("edgeai.anomaly.readings", "Readings the anomaly watch observed of a device's stream", stream,
                    s -> s.readings, "device", device);
            meters.counter("edgeai.anomaly.anomalies", "Readings the anomaly watch flagged", stream, s -> s.anomalies,
                    "device", device);
            return stream;
        });
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    private Stream create(String device, Features features) {
        WatchStore.Saved calibration = saved.get(device);
        if (calibration != null && calibration.window() == settings.window()
                && registry.active(calibration.model()).map(ModelVersion::version).orElse(-1)
                == calibration.version()) {
            StreamWatch watch = new StreamWatch(calibration.features(), settings);
            watch.restore(calibration.scale(), calibration.errorScale());
            Stream stream = new Stream(device, calibration.model(), watch);
            stream.version = calibration.version();
            stream.trained = Instant.ofEpochMilli(calibration.trainedMillis());
            LOG.info("Anomaly watch: stream '{}' goes on with {} version {}", device, stream.model, stream.version);
            return stream;
        }
        List<String> names = features.names().subList(0, Math.min(features.names().size(), config.maxValues()));
        LOG.info("Anomaly watch: new stream '{}' on {}; learning its first {} readings", device, names,
                settings.warmup());
        return new Stream(device, modelName(device), new StreamWatch(names, settings));
    }

    /** {@code anomaly-<device>}, or with a digest when the device id holds characters a model name may not. */
    String modelName(String device) {
        String name = config.modelPrefix() + device;
        if (name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            return name;
        }
        String safe = device.replaceAll("[^A-Za-z0-9_.-]", "_");
        String digest = Integer.toHexString(Arrays.hashCode(device.getBytes(StandardCharsets.UTF_8)));
        String prefix = config.modelPrefix() + safe;
        return prefix.substring(0, Math.min(prefix.length(), 54)) + "-" + digest;
    }

    private void submit(Stream stream) {
        StreamWatch.TrainingSet set = stream.watch.trainingSet();
        if (set.inputs().length < 10) {
            stream.detail = "too few normal readings to train on (" + set.inputs().length + " windows)";
            stream.notBefore = System.currentTimeMillis() + RETRY_MILLIS;
            return;
        }
        try {
            TrainingJob job = training.submit(stream.model, settings.spec(set.inputs(), set.targets(),
                    stream.trainings + 1L));
            stream.job = job.id();
            stream.pending = set;
            stream.notBefore = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(config.minRetrainMinutes());
            LOG.info("Anomaly watch: stream '{}' trains {} on {} windows (job {})", stream.device, stream.model,
                    set.inputs().length, job.id());
        } catch (IllegalStateException | IllegalArgumentException e) {
            stream.detail = "training not started: " + e.getMessage();
            stream.notBefore = System.currentTimeMillis() + RETRY_MILLIS;
            LOG.info("Anomaly watch: stream '{}' could not start a training: {}", stream.device, e.getMessage());
        }
    }

    /**
     * Takes a finished training into use: its promoted version forecasts the rows it learned from (through the
     * inference service, without a thread waiting) and the stream is calibrated from its errors. Completes when that is
     * done (at once when no training finished); never exceptionally.
     */
    private CompletableFuture<Void> collect(Stream stream) {
        if (stream.job == null) {
            return DONE;
        }
        Optional<TrainingJob> job = training.job(stream.job);
        if (job.isPresent() && !job.get().state().finished()) {
            return DONE;
        }
        StreamWatch.TrainingSet set = stream.pending;
        stream.job = null;
        stream.pending = null;
        if (job.isEmpty() || job.get().state() != TrainingJob.State.SUCCEEDED) {
            stream.detail = "training " + job.map(j -> j.state().name().toLowerCase() + ": " + j.message())
                    .orElse("record lost");
            stream.notBefore = System.currentTimeMillis() + RETRY_MILLIS;
            LOG.warn("Anomaly watch: stream '{}': {}", stream.device, stream.detail);
            return DONE;
        }
        stream.trainings++;
        int version = job.get().version();
        if (!job.get().promoted()) {
            stream.detail = "version " + version + " kept staged: " + job.get().message();
            return DONE;
        }
        List<CompletableFuture<Prediction>> chunks = new ArrayList<>();
        for (int from = 0; from < set.inputs().length; from += CHUNK) {
            float[][] chunk = Arrays.copyOfRange(set.inputs(), from, Math.min(set.inputs().length, from + CHUNK));
            try {
                chunks.add(inference.predict(stream.model, chunk).toCompletableFuture());
            } catch (RuntimeException e) {
                chunks.add(CompletableFuture.failedFuture(e));
            }
        }
        return CompletableFuture.allOf(chunks.toArray(new CompletableFuture<?>[0])).handle((all, failure) -> {
            synchronized (stream) {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    stream.detail = "version " + version + " could not be calibrated: " + cause.getMessage();
                    stream.notBefore = System.currentTimeMillis() + RETRY_MILLIS;
                    LOG.warn("Anomaly watch: stream '{}': {}", stream.device, stream.detail);
                    return null;
                }
                float[][] forecasts = new float[set.inputs().length][];
                int at = 0;
                for (CompletableFuture<Prediction> chunk : chunks) {
                    float[][] outputs = chunk.join().outputs();
                    System.arraycopy(outputs, 0, forecasts, at, outputs.length);
                    at += outputs.length;
                }
                stream.watch.calibrate(set, forecasts);
                stream.version = version;
                stream.trained = Instant.now();
                stream.detail = "";
                saved.put(stream.device, new WatchStore.Saved(stream.watch.features(), stream.model, version,
                        stream.watch.scales(), stream.watch.errorScales(), stream.trained.toEpochMilli(),
                        settings.window()));
                store.save(saved);
                LOG.info("Anomaly watch: stream '{}' is scored by {} version {}", stream.device, stream.model,
                        version);
                prune(stream.model);
                return null;
            }
        });
    }

    /** Deletes the oldest retired versions beyond {@code keepVersions}. */
    private void prune(String model) {
        List<ModelVersion> versions = new ArrayList<>(registry.versions(model));
        versions.sort(Comparator.comparingInt(ModelVersion::version).reversed());
        for (int i = Math.max(1, config.keepVersions()); i < versions.size(); i++) {
            ModelVersion old = versions.get(i);
            if (old.state() != ModelState.ACTIVE) {
                try {
                    registry.delete(model, old.version());
                } catch (InvalidModelException e) {
                    LOG.debug("Anomaly watch: {} version {} kept: {}", model, old.version(), e.getMessage());
                }
            }
        }
    }

    @Override
    public List<WatchedStream> streams() {
        List<WatchedStream> list = new ArrayList<>();
        for (Stream stream : streams.values()) {
            synchronized (stream) {
                State state = stream.watch.calibrated() ? State.WATCHING
                        : stream.job != null ? State.TRAINING : State.LEARNING;
                String detail = !stream.detail.isEmpty() ? stream.detail : state == State.LEARNING
                        ? "learning " + stream.watch.historySize() + "/" + settings.warmup() : "";
                list.add(new WatchedStream(stream.device, state, stream.watch.features(), stream.readings,
                        stream.anomalies, stream.model, stream.version, stream.trainings, stream.trained, detail));
            }
        }
        list.sort(Comparator.comparing(WatchedStream::deviceId));
        return list;
    }
}
