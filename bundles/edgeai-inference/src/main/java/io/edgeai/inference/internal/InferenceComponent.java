package io.edgeai.inference.internal;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;
import io.edgeai.api.engine.EngineRuntime;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.inference.PredictionListener;
import io.edgeai.api.inference.ServingStats;
import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelHost;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.api.monitoring.Meters;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.Pipelines;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the active version of each model with DJL on the engine's device, behind a {@link Batcher} per version. As the
 * registry's {@link ModelHost} it tries new archives (load, a forward pass on zeros, the output's shape) and loads a
 * version beside the serving one, warms it, and switches; the replaced version finishes its queue, then closes.
 * Starts once the engine is ready.
 */
@Component(service = {InferenceService.class, ModelHost.class, HealthIndicator.class, MeterBinder.class},
        configurationPid = "io.edgeai.inference")
@Designate(ocd = InferenceConfig.class)
public class InferenceComponent implements InferenceService, ModelHost, HealthIndicator, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceComponent.class);

    private final Map<String, ModelServer> servers = new ConcurrentHashMap<>();
    /**
     * Explanations, one at a time on a thread of their own beside the versions' queues: an explanation never takes an
     * unexplained request's turn; 16 may wait, then OVERLOADED.
     */
    private final java.util.concurrent.ThreadPoolExecutor explaining = new java.util.concurrent.ThreadPoolExecutor(1,
            1, 0, TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(16), r -> {
                Thread thread = new Thread(r, "edgeai-explain");
                thread.setDaemon(true);
                return thread;
            });
    private final Meters meters = new Meters(() -> this.recorder);
    /** Counters and gauges of each served model (its serving version's), from its first version to its removal. */
    private final MeterSet served = new MeterSet();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<PredictionListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Pipelines pipelines;
    private volatile InferenceConfig config;
    /**
     * Every loaded version (serving, on trial, or prepared and not yet committed) with what makes it a batcher under
     * given settings; a change of the settings re-batches them all under {@code settings}' lock, which prepare also
     * takes, so none is left on the old settings.
     */
    private final Map<ServingVersion, java.util.function.BiFunction<InferenceConfig, Batcher, ServingVersion.Lane>>
            hosted = new ConcurrentHashMap<>();
    private final Object settings = new Object();
    private final io.edgeai.djl.blocks.ArchitectureCatalog architectures;
    private final EngineRuntime engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Recorder recorder;

    @Activate
    public InferenceComponent(
            @Reference(target = "(!(" + EngineRuntime.STATE_PROPERTY + "=FAILED))") EngineRuntime engine,
            @Reference io.edgeai.djl.blocks.ArchitectureCatalog architectures, InferenceConfig config) {
        this.config = config;
        this.architectures = architectures;
        this.engine = engine;
        LOG.info("Inference on {}: batches of up to {} rows, {} µs gathering, {} requests queued per model at most",
                device(), config.maxBatchSize(), config.maxQueueDelayMicros(), config.queueCapacity());
    }

    /**
     * A change of etc/io.edgeai.inference.cfg, taken up while the models serve: a change of how requests are batched
     * or refused gives every loaded version a new batcher with the new settings (the model stays loaded and warm; the
     * replaced batcher finishes what it queued), so nothing is refused or lost meanwhile. The other settings apply
     * from their next use.
     */
    @Modified
    void modified(InferenceConfig changed) {
        List<Batcher> replaced = new ArrayList<>();
        synchronized (settings) {
            InferenceConfig before = config;
            config = changed;
            if (batching(before).equals(batching(changed))) {
                LOG.info("Inference settings changed; batching unchanged");
                return;
            }
            hosted.forEach((version, lane) -> replaced.add(version.rebatch(lane.apply(changed, version.batcher()))));
        }
        LOG.info("Inference settings changed: batches of up to {} rows, {} µs gathering, {} requests queued per model"
                + " at most, {} worker(s) per version; {} loaded version(s) now batch so, without reloading",
                changed.maxBatchSize(), changed.maxQueueDelayMicros(), changed.queueCapacity(), workers(changed),
                replaced.size());
        for (Batcher batcher : replaced) {
            ServingVersion.closeBatcher(batcher, changed.drainTimeoutSeconds());
        }
    }

    /** The settings a version's batcher is made with. */
    private static List<Integer> batching(InferenceConfig c) {
        return List.of(c.maxBatchSize(), c.maxQueueDelayMicros(), c.batchQuietMicros(), c.queueCapacity(),
                workers(c), c.retryAfterSeconds());
    }

    /** Closes a version (draining its queue) and forgets it. */
    private void close(ServingVersion version, long drainSeconds) {
        hosted.remove(version);
        version.close(drainSeconds);
    }

    /** Where models compute, for people: the engine's device, or that it is not loaded yet. */
    private String device() {
        io.edgeai.api.engine.EngineInfo info = engine.info();
        return info.state() == io.edgeai.api.engine.EngineState.READY ? info.device()
                : "the engine's device (" + info.state().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    /**
     * The device to load a model on: starts the engine when it is in standby (the first model loads libtorch) and
     * waits for it. Nothing here touches DJL before this returned.
     */
    private String engineDevice() throws InvalidModelException {
        int seconds = Math.max(1, config.engineStartSeconds()); // 0 or less would refuse every model at once
        try {
            return engine.start().toCompletableFuture().get(seconds, TimeUnit.SECONDS).device();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new InvalidModelException(io.edgeai.api.reading.RejectReason.OVERLOADED, e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new InvalidModelException(io.edgeai.api.reading.RejectReason.OVERLOADED, "the engine did not load"
                    + " within " + seconds + " s; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidModelException(io.edgeai.api.reading.RejectReason.OVERLOADED, "interrupted while the"
                    + " engine loaded");
        }
    }

    /** Batch workers per version: as configured, or one per core. */
    private static int workers(InferenceConfig c) {
        return c.workers() > 0 ? c.workers() : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    @Deactivate
    void deactivate() {
        explaining.shutdownNow();
        for (ModelServer server : servers.values()) {
            ServingVersion last = server.switchTo(null);
            if (last != null) {
                close(last, config.drainTimeoutSeconds());
            }
        }
        servers.clear();
    }

    @Override
    public CompletionStage<io.edgeai.api.inference.Explained> explain(String model, float[][] inputs,
            boolean skipPipeline) {
        ModelServer server = servers.get(model);
        if (server == null) {
            return notServing(model);
        }
        return server.explain(inputs, skipPipeline, explaining);
    }

    @Override
    public CompletionStage<io.edgeai.api.inference.Explanation> explain(String model, Features features) {
        ModelServer server = servers.get(model);
        if (server == null) {
            return notServing(model);
        }
        return server.explain(features, explaining);
    }

    @Override
    public CompletionStage<Prediction> predict(String model, float[][] inputs, boolean skipPipeline) {
        ModelServer server = servers.get(model);
        if (server == null) {
            return notServing(model);
        }
        return server.predict(inputs, skipPipeline);
    }

    @Override
    public CompletionStage<Prediction> evaluate(String model, java.util.List<io.edgeai.api.reading.Reading> readings) {
        ModelServer server = servers.get(model);
        if (server == null) {
            return notServing(model);
        }
        return server.evaluate(readings);
    }

    @Override
    public CompletionStage<Prediction> predict(String model, Features features) {
        ModelServer server = servers.get(model);
        if (server == null) {
            return notServing(model);
        }
        return server.predict(features);
    }

    @Override
    public CompletionStage<io.edgeai.api.inference.ReadingPrediction> predict(String model,
            io.edgeai.api.reading.Reading reading, Pipeline orElse) {
        ModelServer server = servers.get(model);
        if (server == null) {
            return notServing(model);
        }
        return server.predict(reading, orElse);
    }

    private static <T> CompletionStage<T> notServing(String model) {
        return CompletableFuture.failedFuture(new io.edgeai.api.inference.InferenceException(
                io.edgeai.api.inference.InferenceException.Reason.UNKNOWN_MODEL, "no model '" + model
                + "' is serving (GET /api/v1/models lists them)"));
    }

    /**
     * Copies of the version's own fitted pipeline, each restored from its pipeline.json (checked once here); null when
     * the archive has none.
     */
    private java.util.function.Supplier<Pipeline> pipeline(ModelVersion version, Path directory)
            throws InvalidModelException {
        if (!version.spec().hasPipeline()) {
            return null;
        }
        Pipelines service = pipelines;
        if (service == null) {
            throw new InvalidModelException("the archive carries pipeline.json, which needs feature"
                    + " edgeai-preprocess");
        }
        try {
            String name = version.model() + "-v" + version.version();
            byte[] serialized = Files.readAllBytes(directory.resolve("pipeline.json"));
            service.restore(name, serialized);
            return () -> service.restore(name, serialized);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException("pipeline.json: " + DjlModels.message(e), e);
        }
    }

    @Override
    public Optional<ServingStats> serving(String model) {
        ModelServer server = servers.get(model);
        ServingVersion v = server == null ? null : server.current();
        if (v == null) {
            return Optional.empty();
        }
        Batcher b = v.batcher();
        return Optional.of(new ServingStats(model, v.version.version(), device(), b.requests.sum(), b.rows.sum(),
                b.batches.sum(), b.largestBatch.get(), b.failures.sum(), b.refused.sum(), b.queued()));
    }

    @Override
    public void check(ModelVersion version, Path directory) throws InvalidModelException {
        pipeline(version, directory);
        try (Model model = DjlModels.load(directory, version.spec(), engineDevice(), architectures);
                Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            float[][] zeros = new float[2][version.spec().inputSize()];
            DjlModels.forward(model, predictor, version.spec(), zeros);
        } catch (InvalidModelException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidModelException("trial forward pass failed: " + DjlModels.message(e), e);
        }
    }

    /** The runner, telling the prediction listeners of each batch it computed while {@code live}. */
    private Batcher.Runner observed(Batcher.Runner runner, ModelVersion version, AtomicBoolean live,
            Meters.Meter batchRows) {
        return new Batcher.Runner() {
            @Override
            public float[][] run(float[][] rows) throws Exception {
                return run(rows, true);
            }

            @Override
            public float[][] run(float[][] rows, boolean traffic) throws Exception {
                float[][] outputs = runner.run(rows);
                if (traffic && live.get()) {
                    batchRows.record(rows.length);
                    for (PredictionListener listener : listeners) {
                        try {
                            listener.predicted(version.model(), version.version(), rows, outputs);
                        } catch (RuntimeException e) {
                            LOG.warn("Prediction listener {} failed: {}", listener, e.toString());
                        }
                    }
                }
                return outputs;
            }

            @Override
            public void close() {
                runner.close();
            }
        };
    }

    @Override
    public Activation prepare(ModelVersion version, Path directory) throws InvalidModelException {
        java.util.function.Supplier<Pipeline> pipeline = pipeline(version, directory);
        Model model = DjlModels.load(directory, version.spec(), engineDevice(), architectures);
        AtomicBoolean live = new AtomicBoolean(); // listeners hear of batches once the version serves, not warm-ups
        String[] tags = {"model", version.model(), "version", String.valueOf(version.version())};
        Meters.Meter batchRows = meters.distribution("edgeai.model.batch.rows", "Rows in each batch the version"
                + " computed", tags);
        Meters.Meter latency = meters.timer("edgeai.model.latency", "Time from a request's arrival at the version to"
                + " its outputs: the wait in its queue and the batch's compute", tags);
        java.util.function.BiFunction<InferenceConfig, Batcher, ServingVersion.Lane> lanes = (c, countsFrom) ->
                new ServingVersion.Lane(new Batcher(version.model() + "-v" + version.version(), c.queueCapacity(),
                        c.maxBatchSize(), TimeUnit.MICROSECONDS.toNanos(c.maxQueueDelayMicros()),
                        TimeUnit.MICROSECONDS.toNanos(c.batchQuietMicros()), workers(c),
                        () -> observed(DjlModels.runner(model, version.spec()), version, live, batchRows), countsFrom),
                        c.maxBatchSize(), c.retryAfterSeconds());
        ServingVersion loaded;
        synchronized (settings) {
            ServingVersion.Lane lane = lanes.apply(config, null);
            loaded = new ServingVersion(version, lane.batcher(), lane.maxRows(), model, pipeline,
                    lane.retryAfterSeconds(), latency, new Explainer(model, version.spec(), directory));
            hosted.put(loaded, lanes);
        }
        try {
            warmUp(loaded);
        } catch (InvalidModelException e) {
            close(loaded, 1);
            throw e;
        }
        return new Activation() {
            @Override
            public void commit() {
                live.set(true);
                ServingVersion previous = servers.computeIfAbsent(version.model(), model -> {
                    meter(model);
                    return new ModelServer(model);
                }).switchTo(loaded);
                if (previous != null) {
                    close(previous, config.drainTimeoutSeconds());
                    LOG.info("Model {}: version {} drained and closed", version.model(), previous.version.version());
                }
            }

            @Override
            public void abort() {
                ModelServer server = servers.get(version.model());
                if (server != null) {
                    server.endTrial(loaded);
                }
                close(loaded, config.drainTimeoutSeconds()); // a canary's requests in flight finish
            }

            @Override
            public void trial(io.edgeai.api.model.RolloutStage stage, double share) {
                ModelServer server = servers.get(version.model());
                if (server == null || server.current() == null) {
                    throw new IllegalStateException("model '" + version.model() + "' has no serving version to"
                            + " compare version " + version.version() + " with");
                }
                server.trial(loaded, stage, share);
                LOG.info("Model {} version {} on trial: {}{}", version.model(), version.version(), stage,
                        stage == io.edgeai.api.model.RolloutStage.CANARY ? " for " + Math.round(share * 1000) / 10.0
                                + " % of the devices" : "");
            }

            @Override
            public io.edgeai.api.model.TrialFigures figures() {
                ModelServer server = servers.get(version.model());
                return server == null ? null : server.figures(loaded);
            }
        };
    }

    /** Runs zeros through the version's own workers, at batch sizes 1 and the largest, before it takes traffic. */
    private void warmUp(ServingVersion loaded) throws InvalidModelException {
        int width = loaded.version.spec().inputSize();
        long started = System.nanoTime();
        for (int run = 0; run < Math.max(1, config.warmupRuns()); run++) {
            for (int rows : new int[] {1, loaded.batcherMaxRows()}) {
                CompletableFuture<float[][]> done = new CompletableFuture<>();
                Batcher batcher;
                do { // not traffic: not counted; a batcher replaced by new settings meanwhile hands on to the next
                    batcher = loaded.batcher();
                } while (batcher.submit(new float[rows][width], done, false) == Batcher.Admission.CLOSED
                        && loaded.batcher() != batcher);
                try {
                    done.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    throw new InvalidModelException("warm-up failed: " + DjlModels.message(
                            e.getCause() == null ? e : e.getCause()), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InvalidModelException("warm-up interrupted", e);
                }
            }
        }
        LOG.info("Model {} version {} loaded and warm on {} in {} ms", loaded.version.model(),
                loaded.version.version(), device(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        served.bindTo(registry);
    }

    /** The meters of a model, read from whichever version serves it when scraped. */
    private void meter(String model) {
        String[] tags = {"model", model};
        served.counter("edgeai.model.requests", "Requests the model's serving versions accepted", this,
                c -> c.serving(model).map(ServingStats::requests).orElse(0L), tags);
        served.counter("edgeai.model.rows", "Input rows computed", this,
                c -> c.serving(model).map(ServingStats::rows).orElse(0L), tags);
        served.counter("edgeai.model.batches", "Batches run (rows / batches is the mean batch size)", this,
                c -> c.serving(model).map(ServingStats::batches).orElse(0L), tags);
        served.counter("edgeai.model.failures", "Requests whose batch failed in the engine", this,
                c -> c.serving(model).map(ServingStats::failures).orElse(0L), tags);
        served.counter("edgeai.model.refused", "Requests refused because the queue was full", this,
                c -> c.serving(model).map(ServingStats::refused).orElse(0L), tags);
        served.gauge("edgeai.model.queued", "Requests waiting now", this,
                c -> c.serving(model).map(ServingStats::queued).orElse(0), tags);
        served.gauge("edgeai.model.largest.batch", "The most rows one batch held", this,
                c -> c.serving(model).map(ServingStats::largestBatch).orElse(0L), tags);
        served.gauge("edgeai.model.serving.version", "The version serving the model", this,
                c -> c.serving(model).map(ServingStats::version).orElse(0), tags);
    }

    @Override
    public void remove(String model) {
        served.remove("model", model);
        ModelServer server = servers.remove(model);
        ServingVersion last = server == null ? null : server.switchTo(null);
        if (last != null) {
            close(last, config.drainTimeoutSeconds());
        }
    }

    @Override
    public Health health() {
        List<String> serving = new ArrayList<>();
        servers.forEach((name, server) -> {
            ServingVersion v = server.current();
            if (v != null) {
                serving.add(name + " v" + v.version.version());
            }
        });
        serving.sort(null);
        return new Health("inference", Status.UP, "on " + device() + ", batches of up to " + config.maxBatchSize()
                + " rows, queue " + config.queueCapacity() + ", " + workers(config) + " workers a version"
                + (serving.isEmpty() ? ", no model serving"
                : "; serving " + String.join(", ", serving)));
    }
}
