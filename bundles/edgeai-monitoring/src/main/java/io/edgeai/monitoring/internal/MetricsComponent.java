package io.edgeai.monitoring.internal;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.connector.ConnectorStats;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.security.ApiAccess;
import io.edgeai.api.engine.EngineInfo;
import io.edgeai.api.engine.EngineRuntime;
import io.edgeai.api.engine.EngineState;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.ServingStats;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.monitoring.Metrics;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.Pipelines;
import io.edgeai.api.anomaly.AnomalyWatch;
import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingService;
import io.edgeai.api.anomaly.WatchedStream;
import io.edgeai.monitoring.internal.accuracy.AccuracyTracker;
import io.edgeai.monitoring.internal.drift.DriftDetector;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The gateway's meters in one Micrometer registry, scraped in the Prometheus format. The gateway's components keep
 * their own counts (connectors, pipelines, serving versions, jobs, the anomaly watch); each scrape first registers a
 * meter for every count that appeared since the last one, and every meter reads the current component by name when it
 * is scraped, so that a restarted connector or a newly promoted version is read, not a stale one. JVM and process
 * meters come from Micrometer's binders and {@code /proc/self/status}.
 */
@Component(service = {Metrics.class, Recorder.class, MetricsComponent.class}, immediate = true)
public class MetricsComponent implements Metrics, Recorder {

    /**
     * Histogram buckets: a fixed 1-2.5-5 ladder from 0.1 ms to 10 s for timers and powers of two up to 1,024 for
     * amounts, so that each histogram costs 17 or 12 series whatever it records (a gateway watching a stream per
     * device has many).
     */
    private static final Duration[] TIMER_BUCKETS = Stream.of(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500,
            1000, 2500, 5000, 10000).map(ms -> Duration.ofNanos(Math.round(ms.doubleValue() * 1e6)))
            .toArray(Duration[]::new);
    private static final double[] AMOUNT_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    /** What the meters read: Micrometer holds them only weakly. */
    private final List<Object> held = new CopyOnWriteArrayList<>();
    /** The histograms components record into, by kind, name and tags, with their meter. */
    private final Map<String, Recorded> histograms = new ConcurrentHashMap<>();

    private record Recorded(Meter meter, Histogram histogram) {
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<Connector> connectors = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile InferenceService inference;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EngineRuntime engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelRegistry models;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Pipelines pipelines;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TrainingService training;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AnomalyWatch watch;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DriftMonitor drift;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LiveAccuracy accuracy;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ApiAccess access;

    @Activate
    void activate() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("process.resident.memory", MetricsComponent::residentBytes).baseUnit("bytes")
                .description("Resident set size of the gateway's process (VmRSS)").register(registry);
    }

    @Deactivate
    void deactivate() {
        gc.close();
        registry.close();
    }

    @Override
    public String scrape() {
        refresh();
        return registry.scrape();
    }

    @Override
    public Histogram timer(String name, String description, String... tags) {
        return histograms.computeIfAbsent("timer " + name + Arrays.toString(tags), key -> {
            Timer timer = Timer.builder(name).tags(tags).description(description)
                    .serviceLevelObjectives(TIMER_BUCKETS).register(registry);
            return new Recorded(timer, nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
        }).histogram();
    }

    @Override
    public Histogram distribution(String name, String description, String... tags) {
        return histograms.computeIfAbsent("summary " + name + Arrays.toString(tags), key -> {
            DistributionSummary summary = DistributionSummary.builder(name).tags(tags).description(description)
                    .serviceLevelObjectives(AMOUNT_BUCKETS).register(registry);
            return new Recorded(summary, summary::record);
        }).histogram();
    }

    /** The registry's meters, for the dashboard's sampler. */
    MeterRegistry registry() {
        return registry;
    }

    /**
     * Registers a meter for every count the components have now and had no meter yet, and drops the histograms of
     * model versions that no longer serve: a gateway retraining its models for months would otherwise serve every
     * version it ever had.
     */
    void refresh() {
        if (inference != null) {
            retire(model -> serving(model).map(ServingStats::version));
        }
        for (Connector connector : connectors) {
            connectorMeters(connector.name(), connector.stats());
        }
        ApiAccess api = access;
        if (api != null) {
            api.counts().forEach((credential, outcomes) -> outcomes.keySet().forEach(outcome -> counter(
                    "edgeai.api.requests", Tags.of("credential", credential, "outcome", outcome), "HTTP API requests by"
                    + " credential (anonymous, local, unknown: none or an unknown token) and outcome",
                    () -> Optional.ofNullable(access).map(a -> a.counts().getOrDefault(credential, Map.of())
                            .getOrDefault(outcome, 0L)).orElse(0L))));
        }
        EngineRuntime runtime = engine;
        EngineInfo info = runtime == null ? null : runtime.info();
        if (info != null && info.state() == EngineState.READY) {
            gauge("edgeai.engine.ready", Tags.of("engine", info.name(), "version", info.version(), "djl",
                    info.djlVersion(), "device", info.device()), "1 while the deep-learning engine is loaded and"
                    + " computes on the device named", () -> Optional.ofNullable(engine).map(e -> e.info().state()
                    == EngineState.READY ? 1.0 : 0.0).orElse(0.0));
            gauge("edgeai.engine.threads", Tags.of("kind", "inter-op"), "Engine threads between operators",
                    () -> Optional.ofNullable(engine).map(e -> (double) e.info().interOpThreads()).orElse(0.0));
            gauge("edgeai.engine.threads", Tags.of("kind", "intra-op"), "Engine threads inside one operator",
                    () -> Optional.ofNullable(engine).map(e -> (double) e.info().intraOpThreads()).orElse(0.0));
        }
        Pipelines known = pipelines;
        if (known != null) {
            for (PipelineStatus pipeline : known.list()) {
                String name = pipeline.name();
                counts("edgeai.pipeline.", "pipeline", name, pipeline.counters().keySet(), "Readings a pipeline took,"
                        + " refused (by reason), and the feature vectors it made", key -> Optional.ofNullable(pipelines)
                        .flatMap(p -> p.status(name)).map(st -> st.counters().getOrDefault(key, 0L)).orElse(0L));
            }
        }
        ModelRegistry registryService = models;
        if (registryService != null && inference != null) {
            for (String model : registryService.models()) {
                if (inference.serving(model).isEmpty()) {
                    continue;
                }
                Tags tags = Tags.of("model", model);
                counter("edgeai.model.requests", tags, "Requests the model's serving versions accepted",
                        () -> serving(model).map(ServingStats::requests).orElse(0L));
                counter("edgeai.model.rows", tags, "Input rows computed", () -> serving(model).map(ServingStats::rows)
                        .orElse(0L));
                counter("edgeai.model.batches", tags, "Batches run (rows / batches is the mean batch size)",
                        () -> serving(model).map(ServingStats::batches).orElse(0L));
                counter("edgeai.model.failures", tags, "Requests whose batch failed in the engine",
                        () -> serving(model).map(ServingStats::failures).orElse(0L));
                counter("edgeai.model.refused", tags, "Requests refused because the queue was full",
                        () -> serving(model).map(ServingStats::refused).orElse(0L));
                gauge("edgeai.model.queued", tags, "Requests waiting now",
                        () -> serving(model).map(s -> (double) s.queued()).orElse(0.0));
                gauge("edgeai.model.largest.batch", tags, "The most rows one batch held",
                        () -> serving(model).map(s -> (double) s.largestBatch()).orElse(0.0));
                gauge("edgeai.model.serving.version", tags, "The version serving the model",
                        () -> serving(model).map(s -> (double) s.version()).orElse(0.0));
            }
        }
        if (training != null) {
            for (TrainingJob.State state : TrainingJob.State.values()) {
                gauge("edgeai.training.jobs", Tags.of("state", state.name().toLowerCase()), "Training jobs by state",
                        () -> Optional.ofNullable(training).map(t -> (double) t.jobs().stream()
                                .filter(j -> j.state() == state).count()).orElse(0.0));
            }
        }
        DriftMonitor monitor = drift;
        if (monitor != null) {
            counter("edgeai.drift.skipped", Tags.empty(), "Batches not monitored for drift (its queue was full)",
                    () -> Optional.ofNullable(drift).map(DriftMonitor::skipped).orElse(0L));
            for (DriftMonitor.Feature feature : monitor.features()) {
                String model = feature.model();
                String name = feature.feature();
                Tags tags = Tags.of("model", model, "feature", name);
                gauge("edgeai.drift.ks", tags, "Kolmogorov-Smirnov statistic of the newest window against the"
                        + " training data", () -> drifted(model, name).map(DriftDetector.State::ks).orElse(Double.NaN));
                gauge("edgeai.drift.psi", tags, "Population Stability Index of the newest window against the"
                        + " training data", () -> drifted(model, name).map(DriftDetector.State::psi).orElse(Double.NaN));
                gauge("edgeai.drift.drifting", tags, "1 while the value drifts (KS p-value below driftAlpha)",
                        () -> drifted(model, name).map(s -> s.drifting() ? 1.0 : 0.0).orElse(0.0));
            }
        }
        LiveAccuracy live = accuracy;
        if (live != null) {
            counter("edgeai.labels.unmatched", Tags.empty(), "Labels without a prediction to join",
                    () -> Optional.ofNullable(accuracy).map(LiveAccuracy::unmatched).orElse(0L));
            for (String reason : live.refused().keySet()) {
                counter("edgeai.labels.refused", Tags.of("reason", reason), "Labels refused, by reason (HTTP and"
                        + " MQTT)", () -> Optional.ofNullable(accuracy).map(a -> a.refused().getOrDefault(reason, 0L))
                        .orElse(0L));
            }
            for (AccuracyTracker.Score score : live.scores()) {
                String model = score.model();
                int version = score.version();
                Tags tags = Tags.of("model", model, "version", String.valueOf(version));
                counter("edgeai.labels", tags, "Labels joined with the version's predictions",
                        () -> scored(model, version).map(AccuracyTracker.Score::labels).orElse(0L));
                counter("edgeai.accuracy.regressed", tags, "Labels of a regressor's version joined (the count"
                        + " edgeai_accuracy_absolute_error_total sums over)", () -> scored(model, version)
                        .map(AccuracyTracker.Score::regressed).orElse(0L));
                total("edgeai.accuracy.absolute.error", tags, "Sum of the absolute errors of the version's first"
                        + " output against the labels: its increase over the increase of"
                        + " edgeai_accuracy_regressed_total is the MAE over any period", () -> scored(model, version)
                        .map(AccuracyTracker.Score::absoluteError).orElse(0.0));
                counter("edgeai.accuracy.classified", tags, "Labels of a classifier's version joined",
                        () -> scored(model, version).map(AccuracyTracker.Score::classified).orElse(0L));
                counter("edgeai.accuracy.correct", tags, "Labels equal to the classifier's most probable class",
                        () -> scored(model, version).map(AccuracyTracker.Score::correct).orElse(0L));
                gauge("edgeai.accuracy.mae", tags, "Mean absolute error of the version's first output against the"
                        + " labels (regressors)", () -> scored(model, version).map(AccuracyTracker.Score::mae)
                        .orElse(Double.NaN));
                gauge("edgeai.accuracy.share", tags, "Share of labels equal to the version's most probable class"
                        + " (classifiers)", () -> scored(model, version).map(AccuracyTracker.Score::accuracy)
                        .orElse(Double.NaN));
            }
        }
        if (watch != null) {
            for (WatchedStream stream : watch.streams()) {
                String device = stream.deviceId();
                Tags tags = Tags.of("device", device);
                counter("edgeai.anomaly.readings", tags, "Readings the anomaly watch observed of a device's stream",
                        () -> watched(device).map(WatchedStream::readings).orElse(0L));
                counter("edgeai.anomaly.anomalies", tags, "Readings the anomaly watch flagged",
                        () -> watched(device).map(WatchedStream::anomalies).orElse(0L));
            }
        }
    }

    /** Removes the histograms tagged with a model version that is not the one serving its model (none: all). */
    void retire(java.util.function.Function<String, Optional<Integer>> servingVersion) {
        histograms.entrySet().removeIf(entry -> {
            Meter.Id id = entry.getValue().meter().getId();
            String model = id.getTag("model");
            String version = id.getTag("version");
            if (model == null || version == null || !id.getName().startsWith("edgeai.model.")) {
                return false;
            }
            boolean serving = servingVersion.apply(model).map(v -> String.valueOf(v).equals(version)).orElse(false);
            if (!serving) {
                registry.remove(entry.getValue().meter());
            }
            return !serving;
        });
    }

    private Optional<Connector> connector(String name) {
        return connectors.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The connector's stats now, read by name (a restarted connector is a new service). */
    private Optional<ConnectorStats> stats(String connector) {
        return connector(connector).map(Connector::stats);
    }

    /**
     * A connector's meters: up, its readings by outcome, refusals and deferrals by reason, its own counts by outcome
     * (and reason), and what it holds now.
     */
    private void connectorMeters(String name, ConnectorStats now) {
        Tags tags = Tags.of("connector", name);
        gauge("edgeai.connector.up", tags, "1 when the connector is up",
                () -> connector(name).map(c -> c.health().status() == Status.UP ? 1.0 : 0.0).orElse(0.0));
        counter("edgeai.connector.received", tags, "Readings and requests a connector received",
                () -> stats(name).map(ConnectorStats::received).orElse(0L));
        counter("edgeai.connector.accepted", tags, "Readings and requests a connector answered after processing"
                + " them (or kept durably)", () -> stats(name).map(ConnectorStats::accepted).orElse(0L));
        counter("edgeai.connector.failed", tags, "Readings and requests the gateway failed on",
                () -> stats(name).map(ConnectorStats::failed).orElse(0L));
        for (RejectReason reason : now.rejected().keySet()) {
            counter("edgeai.connector.rejected", tags.and("reason", reason.metricTag()), "Readings and requests a"
                    + " connector refused, by reason", () -> stats(name).map(s -> s.rejected()
                    .getOrDefault(reason, 0L)).orElse(0L));
        }
        for (RejectReason reason : now.deferred().keySet()) {
            counter("edgeai.connector.deferred", tags.and("reason", reason.metricTag()), "Readings held back and"
                    + " tried again, by reason", () -> stats(name).map(s -> s.deferred().getOrDefault(reason, 0L))
                    .orElse(0L));
        }
        for (ConnectorStats.Count count : now.more()) {
            String outcome = count.outcome();
            String reason = count.reason();
            counter("edgeai.connector." + outcome, reason == null ? tags : tags.and("reason", reason), "What a"
                    + " connector counts of its own: " + outcome + (reason == null ? "" : ", by reason"),
                    () -> stats(name).map(s -> s.count(outcome, reason)).orElse(0L));
        }
        for (String level : now.levels().keySet()) {
            gauge("edgeai.connector." + level, tags, "What a connector holds now: " + level, () -> stats(name)
                    .map(s -> s.levels().getOrDefault(level, 0L).doubleValue()).orElse(0.0));
        }
    }

    /** The newest drift state of a model's value, whichever version serves it. */
    private Optional<DriftDetector.State> drifted(String model, String feature) {
        DriftMonitor monitor = drift;
        return monitor == null ? Optional.empty() : monitor.features().stream()
                .filter(f -> f.model().equals(model) && f.feature().equals(feature)).map(DriftMonitor.Feature::state)
                .findFirst();
    }

    private Optional<AccuracyTracker.Score> scored(String model, int version) {
        LiveAccuracy live = accuracy;
        return live == null ? Optional.empty() : live.scores().stream()
                .filter(s -> s.model().equals(model) && s.version() == version).findFirst();
    }

    private Optional<ServingStats> serving(String model) {
        InferenceService service = inference;
        return service == null ? Optional.empty() : service.serving(model);
    }

    private Optional<WatchedStream> watched(String device) {
        AnomalyWatch service = watch;
        return service == null ? Optional.empty()
                : service.streams().stream().filter(s -> s.deviceId().equals(device)).findFirst();
    }

    /**
     * Counters of a component's counts named as {@link Connector#counters()} names them: {@code outcome} or
     * {@code outcome.reason}, e.g. {@code rejected.malformed} becomes {@code <prefix>rejected{<owner>, reason}}.
     */
    private void counts(String prefix, String ownerTag, String owner, Set<String> keys, String description,
            java.util.function.ToLongFunction<String> read) {
        for (String key : keys) {
            int dot = key.indexOf('.');
            Tags tags = dot < 0 ? Tags.of(ownerTag, owner) : Tags.of(ownerTag, owner, "reason", key.substring(dot + 1));
            counter(prefix + (dot < 0 ? key : key.substring(0, dot)), tags, description, () -> read.applyAsLong(key));
        }
    }

    /** A counter reading a count the component keeps; registered once per name and tags. */
    private void counter(String name, Tags tags, String description, java.util.function.LongSupplier count) {
        total(name, tags, description, count::getAsLong);
    }

    /** A counter reading a running sum (or a count) the component keeps; registered once per name and tags. */
    private void total(String name, Tags tags, String description, java.util.function.DoubleSupplier sum) {
        if (registered.add(name + tags)) {
            held.add(sum);
            FunctionCounter.builder(name, sum, s -> s.getAsDouble()).tags(tags).description(description)
                    .register(registry);
        }
    }

    private void gauge(String name, Tags tags, String description, java.util.function.DoubleSupplier value) {
        if (registered.add(name + tags)) {
            held.add(value);
            Gauge.builder(name, value, v -> v.getAsDouble()).tags(tags).description(description).register(registry);
        }
    }

    /** VmRSS from /proc/self/status, in bytes; NaN where there is no such file. */
    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
