package io.edgeai.training.internal;

import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelState;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.training.AnomalyVerdict;
import io.edgeai.api.training.AnomalyWatch;
import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingService;
import io.edgeai.api.training.WatchedStream;
import io.edgeai.api.training.WatchedStream.State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
@Component(service = AnomalyWatch.class, configurationPid = "io.edgeai.anomaly")
@Designate(ocd = WatchConfig.class)
public class AnomalyWatchComponent implements AnomalyWatch {

    private static final Logger LOG = LoggerFactory.getLogger(AnomalyWatchComponent.class);
    private static final int CHUNK = 32;
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

    /** One device's stream and what the watch does with it. */
    private static final class Stream {
        final String device;
        final String model;
        final StreamWatch watch;
        String job;
        StreamWatch.TrainingSet pending;
        long notBefore; // wall-clock millis before which no training is submitted
        int version;
        long readings;
        long anomalies;
        int trainings;
        Instant trained;
        String detail = "";

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
    public AnomalyVerdict observe(Features features) {
        if (!config.enabled()) {
            return AnomalyVerdict.unscored(State.IGNORED, null, "the anomaly watch is off (etc/io.edgeai.anomaly.cfg)");
        }
        Stream stream = stream(features);
        if (stream == null) {
            return AnomalyVerdict.unscored(State.IGNORED, null, config.maxStreams() + " streams are watched already"
                    + " (maxStreams)");
        }
        synchronized (stream) {
            double[] values = new double[stream.watch.features().size()];
            for (int f = 0; f < values.length; f++) {
                int at = features.names().indexOf(stream.watch.features().get(f));
                float value = at < 0 ? Float.NaN : features.values()[at];
                if (!Float.isFinite(value)) {
                    return AnomalyVerdict.unscored(State.IGNORED, stream.model, "not scored: the stream is watched"
                            + " on " + stream.watch.features() + " and this reading has no finite '"
                            + stream.watch.features().get(f) + "'");
                }
                values[f] = value;
            }
            collect(stream);
            int[] scoredBy = {0};
            StreamWatch.Observation seen;
            try {
                seen = stream.watch.observe(values, row -> {
                    Prediction answer = inference.predict(stream.model, new float[][] {row}).toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                    scoredBy[0] = answer.version();
                    return answer.outputs()[0];
                });
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                        ? e.getCause() : e;
                return AnomalyVerdict.unscored(State.WATCHING, stream.model, "not scored: " + cause.getMessage());
            }
            stream.readings++;
            if (stream.watch.trainingDue() && stream.job == null && System.currentTimeMillis() >= stream.notBefore) {
                submit(stream);
            }
            if (seen.kind() == StreamWatch.Kind.LEARNING) {
                State state = stream.job != null && !stream.watch.calibrated() ? State.TRAINING : State.LEARNING;
                String detail = state == State.TRAINING ? "training its first model (job " + stream.job + ")"
                        : "learning " + stream.watch.historySize() + "/" + seen.needed();
                return AnomalyVerdict.unscored(state, stream.model, detail);
            }
            if (seen.anomaly()) {
                stream.anomalies++;
            }
            return new AnomalyVerdict(State.WATCHING, stream.model, scoredBy[0], seen.score(),
                    settings.thresholdFactor(), seen.anomaly(), stream.watch.named(seen.expected()), "");
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
        return streams.computeIfAbsent(features.deviceId(), device -> create(device, features));
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

    /** Takes a finished training into use: its promoted version is calibrated on the rows it learned from. */
    private void collect(Stream stream) {
        if (stream.job == null) {
            return;
        }
        Optional<TrainingJob> job = training.job(stream.job);
        if (job.isPresent() && !job.get().state().finished()) {
            return;
        }
        StreamWatch.TrainingSet set = stream.pending;
        stream.job = null;
        stream.pending = null;
        if (job.isEmpty() || job.get().state() != TrainingJob.State.SUCCEEDED) {
            stream.detail = "training " + job.map(j -> j.state().name().toLowerCase() + ": " + j.message())
                    .orElse("record lost");
            stream.notBefore = System.currentTimeMillis() + RETRY_MILLIS;
            LOG.warn("Anomaly watch: stream '{}': {}", stream.device, stream.detail);
            return;
        }
        stream.trainings++;
        if (!job.get().promoted()) {
            stream.detail = "version " + job.get().version() + " kept staged: " + job.get().message();
            return;
        }
        try {
            float[][] forecasts = new float[set.inputs().length][];
            for (int from = 0; from < forecasts.length; from += CHUNK) {
                float[][] chunk = Arrays.copyOfRange(set.inputs(), from, Math.min(forecasts.length, from + CHUNK));
                Prediction answer = inference.predict(stream.model, chunk).toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
                System.arraycopy(answer.outputs(), 0, forecasts, from, chunk.length);
            }
            stream.watch.calibrate(set, forecasts);
        } catch (Exception e) {
            stream.detail = "version " + job.get().version() + " could not be calibrated: " + e.getMessage();
            stream.notBefore = System.currentTimeMillis() + RETRY_MILLIS;
            LOG.warn("Anomaly watch: stream '{}': {}", stream.device, stream.detail);
            return;
        }
        stream.version = job.get().version();
        stream.trained = Instant.now();
        stream.detail = "";
        saved.put(stream.device, new WatchStore.Saved(stream.watch.features(), stream.model, stream.version,
                stream.watch.scales(), stream.watch.errorScales(), stream.trained.toEpochMilli(), settings.window()));
        store.save(saved);
        LOG.info("Anomaly watch: stream '{}' is scored by {} version {}", stream.device, stream.model, stream.version);
        prune(stream.model);
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
