package io.edgeai.anomaly.internal;

import io.edgeai.anomaly.internal.detect.DetectorSettings;
import io.edgeai.anomaly.internal.detect.Episodes;
import io.edgeai.anomaly.internal.detect.StreamScorer;
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
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: each device stream is watched on its own. From its first readings, statistical detectors
 * ({@link StreamScorer}: level, level shift, spread, step, shape discord, hour of day, each calibrated against the
 * stream's own recent readings) score every reading; {@link Episodes} turn the scores into anomaly episodes with one
 * alert each. A learned forecaster joins them: trained by a job of the training service once its warm-up window is
 * full, registered and promoted as {@code anomaly-<device>}, retrained on its recent readings every
 * {@code retrainEvery} readings, asked through the inference service (the same batcher as every other caller); its
 * errors are one more calibrated detector. Time is the readings' time: windows and the pace of retraining count
 * readings and their timestamps, so that a replayed history is judged as the live one was.
 */
@Component(service = {AnomalyWatch.class, MeterBinder.class}, configurationPid = "io.edgeai.anomaly")
@Designate(ocd = WatchConfig.class)
public class AnomalyWatchComponent implements AnomalyWatch, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(AnomalyWatchComponent.class);
    private static final int CHUNK = 32;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** After a training that could not start or failed, the next attempt waits this long (reading time). */
    private static final long RETRY_MILLIS = 30_000;
    /** An open episode stays open while scores are at or above this share of the threshold. */
    private static final double STAY_ABOVE = 0.4;

    private final WatchConfig config;
    private final WatchSettings settings;
    private final DetectorSettings detectors;
    private final TrainingService training;
    private final InferenceService inference;
    private final ModelRegistry registry;
    private final WatchStore store;
    private final Map<String, DeviceStream> streams = new ConcurrentHashMap<>();
    private final Map<String, WatchStore.Saved> saved;
    /** Streams' newest readings the previous watch wrote when it stopped, taken up by each stream's first reading. */
    private final Map<String, WatchStore.Recent> recent;
    private final AtomicBoolean toldFull = new AtomicBoolean();
    /** Each stream's counters, added with the stream. */
    private final MeterSet meters = new MeterSet();

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
        this.detectors = new DetectorSettings(config.levelWindow(), DetectorSettings.DEFAULTS.shortWindow(),
                DetectorSettings.DEFAULTS.spreadWindow(), config.shapeLength(), config.shapeReferences(),
                config.calibrationReadings(), DetectorSettings.DEFAULTS.minCalibration());
        if (!(config.threshold() > 0 && config.threshold() <= 1) || config.quietReadings() < 1) {
            throw new IllegalArgumentException("anomaly watch: 0 < threshold <= 1 and quietReadings >= 1 (got"
                    + " threshold " + config.threshold() + ", quietReadings " + config.quietReadings() + ")");
        }
        this.store = new WatchStore(Paths.get(System.getProperty("karaf.data", "data"), "edgeai", "anomaly"));
        this.saved = new ConcurrentHashMap<>(store.load());
        this.recent = new ConcurrentHashMap<>(store.takeRecent());
        LOG.info("Anomaly watch {}: scores from a stream's reading {} on, threshold {}; forecaster {} ({} readings of"
                + " warm-up, retraining every {}), {} calibrated stream(s) restored", config.enabled() ? "on" : "off",
                detectors.firstScore(), config.threshold(), config.forecaster() ? "on" : "off", settings.warmup(),
                settings.retrainEvery(), saved.size());
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
        DeviceStream stream = stream(features);
        if (stream == null) {
            return done(AnomalyVerdict.unscored(State.IGNORED, null, config.maxStreams() + " streams are watched"
                    + " already (maxStreams)"));
        }
        double[] values = stream.values(features);
        if (values == null) {
            return done(stream.missing(features));
        }
        synchronized (stream) {
            // one reading of a stream at a time, in order, without holding a thread while the model answers
            long millis = features.timestamp().toEpochMilli();
            CompletableFuture<AnomalyVerdict> next = stream.tail.thenCompose(previous -> step(stream, values, millis));
            stream.tail = next;
            return next;
        }
    }

    @Override
    public void replay(String deviceId, Iterable<Features> readings, Consumer<AnomalyVerdict> verdicts) {
        DeviceStream stream = null;
        for (Features features : readings) {
            if (stream == null) {
                stream = fresh(deviceId, features);
                stream.replay = true;
            }
            double[] values = stream.values(features);
            if (values == null) {
                verdicts.accept(stream.missing(features));
                continue;
            }
            synchronized (stream) {
                verdicts.accept(judge(stream, values, features.timestamp().toEpochMilli(), null, 0, ""));
            }
        }
    }

    private static CompletableFuture<AnomalyVerdict> done(AnomalyVerdict verdict) {
        return CompletableFuture.completedFuture(verdict);
    }

    /** One reading, once the stream's previous one is done (and a finished training is taken into use). */
    private CompletableFuture<AnomalyVerdict> step(DeviceStream stream, double[] values, long millis) {
        CompletableFuture<Void> calibrated;
        synchronized (stream) {
            calibrated = collect(stream);
        }
        return calibrated.thenCompose(ignored -> score(stream, values, millis)).exceptionally(e -> {
            LOG.warn("Anomaly watch: stream '{}': a reading could not be observed", stream.device, e);
            return AnomalyVerdict.unscored(State.WATCHING, stream.model, "not scored: " + e);
        });
    }

    private CompletableFuture<AnomalyVerdict> score(DeviceStream stream, double[] values, long millis) {
        StreamWatch.Pending pending;
        synchronized (stream) {
            // with the forecaster on but not calibrated yet, the reading is kept as its history
            pending = config.forecaster() ? stream.watch.prepare(values) : null;
            if (pending == null) {
                return done(judge(stream, values, millis, null, 0, ""));
            }
        }
        CompletableFuture<Prediction> asked;
        try {
            asked = inference.predict(stream.model, new float[][] {pending.row()}).toCompletableFuture();
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        return asked.handle((answer, failure) -> {
            synchronized (stream) {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    // the statistical detectors still score it; the forecaster's history misses it
                    return judge(stream, values, millis, null, 0, "the forecaster did not answer: "
                            + cause.getMessage());
                }
                StreamWatch.Observation seen = stream.watch.finish(values, pending, answer.outputs()[0]);
                return judge(stream, values, millis, seen, answer.version(), "");
            }
        });
    }

    /**
     * The verdict on a reading: the statistical detectors' score, with the forecaster's error when it forecast the
     * reading, and the stream's episodes; then a training when one is due. Called holding the stream.
     */
    private AnomalyVerdict judge(DeviceStream stream, double[] values, long millis, StreamWatch.Observation forecast,
            int version, String problem) {
        StreamScorer.Score score = stream.scorer.score(values, millis, forecast == null ? Map.of()
                : Map.of("forecast", forecast.score()));
        Episodes.Step step = stream.episodes.next(score.score());
        stream.readings++;
        stream.lastMillis = millis;
        if (!stream.replay) {
            stream.recent.add(millis, values);
        }
        if (step.alert()) {
            stream.alerts++;
        }
        String running = stream.job;
        trainIfDue(stream, millis);
        State state = stream.job != null && !stream.watch.calibrated() ? State.TRAINING : State.WATCHING;
        String detail = !problem.isEmpty() ? problem : state == State.TRAINING
                ? "its forecaster trains (job " + stream.job + "); the statistical detectors score meanwhile"
                : stream.job != null && running == null ? "its forecaster retrains (job " + stream.job + "); version "
                + stream.version + " forecasts meanwhile" : "";
        if (!score.scored()) {
            return AnomalyVerdict.unscored(State.LEARNING, stream.model, "learning " + stream.scorer.readings() + "/"
                    + detectors.firstScore());
        }
        double[] expected = forecast != null ? forecast.expected() : score.expected();
        return new AnomalyVerdict(state, stream.model, forecast == null ? 0 : version, score.score(),
                config.threshold(), step.anomaly(), step.alert(), step.episode(), score.detector(),
                stream.watch.named(expected), detail, step.anomaly() ? stream.scorer.contributions(score) : Map.of());
    }

    private void trainIfDue(DeviceStream stream, long millis) {
        // a device whose clock went back (a reset) is not kept waiting for the time it had reached
        boolean paced = millis >= stream.notBefore || millis < stream.pacedAt;
        if (config.forecaster() && !stream.replay && stream.watch.trainingDue() && stream.job == null && paced) {
            submit(stream, millis);
        }
    }

    private DeviceStream stream(Features features) {
        DeviceStream known = streams.get(features.deviceId());
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
            DeviceStream stream = create(device, features);
            resume(stream);
            meters.counter("edgeai.anomaly.readings", "Readings the anomaly watch observed of a device's stream", stream,
                    s -> s.readings, "device", device);
            meters.counter("edgeai.anomaly.alerts", "Anomaly episodes the watch opened on a device's stream (one alert"
                    + " each)", stream, s -> s.alerts, "device", device);
            return stream;
        });
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    private DeviceStream create(String device, Features features) {
        WatchStore.Saved calibration = saved.get(device);
        if (config.forecaster() && calibration != null && calibration.window() == settings.window()
                && registry.active(calibration.model()).map(ModelVersion::version).orElse(-1)
                == calibration.version()) {
            StreamWatch watch = new StreamWatch(calibration.features(), settings);
            watch.restore(calibration.scale(), calibration.errorScale());
            DeviceStream stream = new DeviceStream(device, calibration.model(), watch, scorer(watch), episodes(), recentSize());
            stream.version = calibration.version();
            stream.trained = Instant.ofEpochMilli(calibration.trainedMillis());
            LOG.info("Anomaly watch: stream '{}' goes on with {} version {}", device, stream.model, stream.version);
            return stream;
        }
        DeviceStream stream = fresh(device, features);
        LOG.info("Anomaly watch: new stream '{}' on {}; scored from its reading {} on", device,
                stream.watch.features(), detectors.firstScore());
        return stream;
    }

    /** A new stream on the values of its first reading (at most {@code maxValues}). */
    private DeviceStream fresh(String device, Features features) {
        List<String> names = features.names().subList(0, Math.min(features.names().size(), config.maxValues()));
        StreamWatch watch = new StreamWatch(names, settings);
        return new DeviceStream(device, modelName(device), watch, scorer(watch), episodes(), recentSize());
    }

    /** Readings a stream keeps to take up where it was after a restart: what its detectors look back on. */
    private int recentSize() {
        return detectors.calibration() + Math.max(detectors.window(), detectors.subsequence() * 2
                + detectors.references()) + 2;
    }

    /**
     * Takes a stream up where the previous watch stopped: its newest readings through its detectors again (as
     * history, without verdicts) and into its forecaster's history, its episodes as they were.
     */
    private void resume(DeviceStream stream) {
        WatchStore.Recent kept = recent.remove(stream.device);
        if (kept == null || !kept.features().equals(stream.watch.features())) {
            return;
        }
        stream.takeUp(kept, config.forecaster());
        LOG.info("Anomaly watch: stream '{}' takes up where it was ({} recent readings)", stream.device,
                kept.millis().length);
    }

    @Deactivate
    void deactivate() {
        // streams that did not come back since the last restart are kept for the next one too
        Map<String, WatchStore.Recent> kept = new java.util.TreeMap<>(recent);
        for (DeviceStream stream : streams.values()) {
            synchronized (stream) {
                kept.put(stream.device, stream.recent.saved(stream.watch.features(), stream.episodes, stream.scorer));
            }
        }
        if (!kept.isEmpty()) {
            store.saveRecent(kept);
        }
    }

    private StreamScorer scorer(StreamWatch watch) {
        return new StreamScorer(watch.features(), detectors);
    }

    private Episodes episodes() {
        return new Episodes(config.threshold(), STAY_ABOVE * config.threshold(), config.quietReadings());
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

    private void submit(DeviceStream stream, long millis) {
        StreamWatch.TrainingSet set = stream.watch.trainingSet();
        if (set.inputs().length < 10) {
            stream.detail = "too few normal readings to train on (" + set.inputs().length + " windows)";
            stream.notBefore = millis + RETRY_MILLIS;
            stream.pacedAt = millis;
            return;
        }
        try {
            TrainingJob job = training.submit(stream.model, settings.spec(set.inputs(), set.targets(),
                    stream.trainings + 1L));
            stream.job = job.id();
            stream.pending = set;
            stream.notBefore = millis + TimeUnit.MINUTES.toMillis(config.minRetrainMinutes());
            stream.pacedAt = millis;
            LOG.info("Anomaly watch: stream '{}' trains {} on {} windows (job {})", stream.device, stream.model,
                    set.inputs().length, job.id());
        } catch (IllegalStateException | IllegalArgumentException e) {
            stream.detail = "training not started: " + e.getMessage();
            stream.notBefore = millis + RETRY_MILLIS;
            stream.pacedAt = millis;
            LOG.info("Anomaly watch: stream '{}' could not start a training: {}", stream.device, e.getMessage());
        }
    }

    /**
     * Takes a finished training into use: its promoted version forecasts the rows it learned from (through the
     * inference service, without a thread waiting) and the stream is calibrated from its errors. Completes when that is
     * done (at once when no training finished); never exceptionally.
     */
    private CompletableFuture<Void> collect(DeviceStream stream) {
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
            stream.notBefore = stream.lastMillis + RETRY_MILLIS;
            stream.pacedAt = stream.lastMillis;
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
                    stream.notBefore = stream.lastMillis + RETRY_MILLIS;
                    stream.pacedAt = stream.lastMillis;
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
        for (DeviceStream stream : streams.values()) {
            synchronized (stream) {
                boolean scoring = stream.scorer.readings() >= detectors.firstScore();
                State state = !scoring ? State.LEARNING : stream.job != null && !stream.watch.calibrated()
                        ? State.TRAINING : State.WATCHING;
                String detail = !stream.detail.isEmpty() ? stream.detail : !scoring ? "learning "
                        + stream.scorer.readings() + "/" + detectors.firstScore() : !config.forecaster()
                        || stream.watch.calibrated() ? "" : stream.job != null ? "its forecaster trains (job "
                        + stream.job + ")" : "its forecaster learns " + stream.watch.historySize() + "/"
                        + settings.warmup();
                list.add(new WatchedStream(stream.device, state, stream.watch.features(), stream.readings,
                        stream.alerts, stream.model, stream.version, stream.trainings, stream.trained, detail));
            }
        }
        list.sort(Comparator.comparing(WatchedStream::deviceId));
        return list;
    }
}
