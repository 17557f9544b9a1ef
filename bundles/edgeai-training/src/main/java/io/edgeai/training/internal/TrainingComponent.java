package io.edgeai.training.internal;

import ai.djl.Device;
import io.edgeai.api.engine.EngineRuntime;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.Lineage;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.monitoring.EdgeAiEvents;
import io.edgeai.api.preprocess.Pipelines;
import io.edgeai.api.reading.ReadingHistory;
import io.edgeai.api.training.TrainingJob.State;
import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.FederatedTraining;
import io.edgeai.api.training.TrainingService;
import io.edgeai.djl.blocks.ArchitectureCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training jobs on a bounded executor: a job loads its data, trains (progress after every epoch, as events and in its
 * record), writes the result as a {@code djl} model archive and registers it as a staged version with its metrics
 * and lineage; with {@code autoPromote} it is promoted when it beats the active version on the job's held-out rows.
 * Job records survive restarts; a job that was queued or running when the gateway stopped is marked interrupted.
 */
@Component(service = {TrainingService.class, FederatedTraining.class, MeterBinder.class},
        configurationPid = "io.edgeai.training")
@Designate(ocd = TrainingConfig.class)
public class TrainingComponent implements TrainingService, FederatedTraining, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingComponent.class);
    /** How long a job waits for the engine to load (the first job in a gateway's life loads libtorch). */
    private static final long ENGINE_START_MINUTES = 5;

    private volatile TrainingConfig config;
    private final ArchitectureCatalog architectures;
    private final ModelRegistry registry;
    private final EngineRuntime engine;
    private final Path home;
    private final JobStore store;
    private final ThreadPoolExecutor executor;
    private final Map<String, Job> live = new ConcurrentHashMap<>();
    private final Map<String, TrainingJob> past = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile boolean stopping;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin events;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile InferenceService inference;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReadingHistory history;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Pipelines pipelines;

    @Activate
    public TrainingComponent(@Reference(target = "(!(" + EngineRuntime.STATE_PROPERTY + "=FAILED))") EngineRuntime engine,
            @Reference ArchitectureCatalog architectures, @Reference ModelRegistry registry, TrainingConfig config)
            throws IOException {
        this.config = config;
        this.architectures = architectures;
        this.registry = registry;
        this.engine = engine;
        this.home = Paths.get(System.getProperty("karaf.home", ".")).toAbsolutePath().normalize();
        this.store = new JobStore(Paths.get(System.getProperty("karaf.data", "data"), "edgeai", "training", "jobs"));
        for (TrainingJob job : store.load()) {
            if (!job.state().finished()) {
                job = new TrainingJob(job.id(), job.model(), State.INTERRUPTED, job.submitted(), job.started(),
                        Instant.now(), job.epoch(), job.epochs(), job.trainLoss(), job.validationLoss(),
                        job.metrics(), "the gateway stopped while this job was " + job.state().name().toLowerCase()
                        + (job.state() == State.RUNNING ? " (at epoch " + job.epoch() + ")" : "")
                        + "; submit it again", 0, false, job.spec());
                store.save(job);
                LOG.info("Training job {} ({}) marked interrupted: the gateway stopped during it", job.id(),
                        job.model());
            }
            past.put(job.id(), job);
        }
        int threads = Math.max(1, config.threads());
        AtomicInteger names = new AtomicInteger();
        // idle threads end after a second: a job's thread is made when it starts, with the niceness set then
        this.executor = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread thread = new Thread(() -> {
                        Niceness.lower(this.config.niceness());
                        r.run();
                    }, "edgeai-training-" + names.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        LOG.info("Training ready: {} job(s) at once, {} may wait", threads, config.maxQueuedJobs());
    }

    /**
     * A change of etc/io.edgeai.training.cfg, taken up without stopping: jobs running or waiting go on; how many run
     * at once and may wait applies to the next job, the niceness to jobs that start from now on, the row limit to jobs
     * that load their data from now on.
     */
    @Modified
    void modified(TrainingConfig changed) {
        int threads = Math.max(1, changed.threads());
        synchronized (executor) {
            config = changed;
            if (threads > executor.getMaximumPoolSize()) {
                executor.setMaximumPoolSize(threads);
                executor.setCorePoolSize(threads);
            } else {
                executor.setCorePoolSize(threads);
                executor.setMaximumPoolSize(threads);
            }
        }
        LOG.info("Training settings changed: {} job(s) at once, {} may wait, niceness {} for jobs starting from now"
                + " on; {} job(s) running or waiting go on", threads, changed.maxQueuedJobs(), changed.niceness(),
                live.values().stream().filter(job -> !job.state().finished()).count());
    }

    /** Hands a task to the training threads, unless {@code maxQueuedJobs} wait already or the service stops. */
    private void enqueue(Runnable task) {
        synchronized (executor) {
            if (!executor.isShutdown() && executor.getQueue().size() >= Math.max(1, config.maxQueuedJobs())) {
                throw new RejectedExecutionException("full");
            }
            executor.execute(task);
        }
    }

    /**
     * The device jobs compute on: starts the engine when it is in standby (the first job loads libtorch) and waits for
     * it. Nothing here touches DJL before this returned.
     */
    private Device device() {
        try {
            return Device.fromName(engine.start().toCompletableFuture().get(ENGINE_START_MINUTES, TimeUnit.MINUTES)
                    .device());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new EngineUnavailableException(e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new EngineUnavailableException("the engine did not load within " + ENGINE_START_MINUTES
                    + " minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while the engine loaded");
        }
    }

    /** The engine could not be started for a job: a reason for the job's owner, not a bug. */
    static final class EngineUnavailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        EngineUnavailableException(String message) {
            super(message);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stopping = true;
        executor.shutdown();
        if (!executor.awaitTermination(config.stopTimeoutSeconds(), TimeUnit.SECONDS)) {
            LOG.warn("Training jobs still running {} s after the stop; interrupting them", config.stopTimeoutSeconds());
            executor.shutdownNow();
        }
        for (Job job : live.values()) {
            if (!job.state().finished()) {
                job.finish(State.INTERRUPTED, "the training service stopped while this job was "
                        + job.state().name().toLowerCase() + "; submit it again", Map.of(), 0, false);
                store.save(job.snapshot());
            }
        }
    }

    @Override
    public TrainingJob submit(String model, Map<String, Object> spec) {
        if (model == null || !model.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("model: '" + model + "' is not a model name (letters, digits, _ . -)");
        }
        JobSpec parsed;
        try {
            parsed = SpecParser.parse(spec, home);
        } catch (InvalidSpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (parsed.autoPromote() && parsed.train().validationSplit() == 0) {
            throw new IllegalArgumentException("autoPromote: needs held-out rows to compare on (validationSplit"
                    + " above 0)");
        }
        String id = "job-" + Long.toString(System.currentTimeMillis(), 36) + "-" + sequence.incrementAndGet();
        Job job = new Job(id, model, spec, parsed);
        live.put(id, job);
        job.task = () -> run(job);
        store.save(job.snapshot()); // before the worker can save a newer state
        try {
            enqueue(job.task);
        } catch (RejectedExecutionException e) {
            live.remove(id);
            store.delete(id);
            throw new IllegalStateException(executor.isShutdown() ? "the training service is stopping"
                    : config.maxQueuedJobs() + " jobs are waiting already; try again when one has started");
        }
        LOG.info("Training job {} queued: {} version of '{}', {} epochs", id, parsed.train().architectureName(), model,
                parsed.train().epochs());
        forget();
        return job.snapshot();
    }

    @Override
    public java.util.concurrent.CompletionStage<LocalUpdate> trainLocally(Map<String, Object> spec, byte[] global,
            double mu, Instant deadline) {
        JobSpec parsed;
        try {
            parsed = SpecParser.parse(FederatedRounds.roundSpec(spec), home);
        } catch (InvalidSpecException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage(),
                    e));
        }
        java.util.concurrent.CompletableFuture<LocalUpdate> update = new java.util.concurrent.CompletableFuture<>();
        try {
            enqueue(() -> {
                try {
                    TrainingData data = JobData.load(parsed, config.maxRows(), history, pipelines, Instant.now());
                    update.complete(FederatedRounds.train(parsed, data, global, mu, device(), architectures,
                            () -> stopping || Instant.now().isAfter(deadline)));
                } catch (InvalidSpecException e) {
                    update.completeExceptionally(new IllegalArgumentException(e.getMessage(), e));
                } catch (RuntimeException | LinkageError e) {
                    update.completeExceptionally(e);
                }
            });
            // a round that misses its deadline stops between two batches (above); nothing of it is sent
        } catch (RejectedExecutionException e) {
            update.completeExceptionally(new IllegalStateException(executor.isShutdown()
                    ? "the training service is stopping" : config.maxQueuedJobs() + " jobs are waiting already"));
        }
        return update;
    }

    @Override
    public LocalUpdate average(Map<String, Object> spec, List<LocalUpdate> updates) {
        try {
            device(); // averaging computes with DJL
            return FederatedRounds.average(SpecParser.parse(FederatedRounds.roundSpec(spec), home).train(), updates,
                    architectures);
        } catch (InvalidSpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public Path export(Map<String, Object> spec, LocalUpdate global, Map<String, Double> metrics,
            Map<String, Object> lineage, Path folder) {
        try {
            return FederatedRounds.export(SpecParser.parse(FederatedRounds.roundSpec(spec), home).train(), global,
                    metrics, lineage, device(), architectures, folder);
        } catch (InvalidSpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the global model: " + e.getMessage(), e);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TrainingJob.State state : TrainingJob.State.values()) {
            Gauge.builder("edgeai.training.jobs", this, t -> t.jobs().stream().filter(j -> j.state() == state).count())
                    .tags("state", state.name().toLowerCase(java.util.Locale.ROOT)).description("Training jobs by state")
                    .register(registry);
        }
    }

    @Override
    public List<TrainingJob> jobs() {
        List<TrainingJob> all = new ArrayList<>(past.values());
        live.values().forEach(j -> all.add(j.snapshot()));
        all.sort(Comparator.comparing(TrainingJob::submitted).reversed());
        return all;
    }

    @Override
    public Optional<TrainingJob> job(String id) {
        Job job = live.get(id);
        return job != null ? Optional.of(job.snapshot()) : Optional.ofNullable(past.get(id));
    }

    @Override
    public boolean cancel(String id) {
        Job job = live.get(id);
        if (job == null || job.state().finished()) {
            return false;
        }
        job.cancelRequested = true;
        if (executor.remove(job.task)) {
            end(job, State.CANCELLED, "cancelled before it started", Map.of(), 0, false);
        }
        return true; // a running job stops at its next batch

    }

    private void run(Job job) {
        if (job.cancelRequested || stopping) {
            end(job, job.cancelRequested ? State.CANCELLED : State.INTERRUPTED, job.cancelRequested
                    ? "cancelled before it started" : "the training service stopped before it started", Map.of(), 0,
                    false);
            return;
        }
        job.start();
        store.save(job.snapshot());
        post(EdgeAiEvents.JOB_PROGRESS, job, Map.of(EdgeAiEvents.PROP_STATE, State.RUNNING.name()));
        long[] lastSaved = {System.nanoTime()};
        Path work = null;
        try {
            TrainingData data = JobData.load(job.parsed, config.maxRows(), history, pipelines, Instant.now());
            Optional<ModelVersion> active = registry.active(job.model);
            try (TrainingRun.Result result = TrainingRun.train(job.parsed.train(), data.inputs(), data.targets(),
                    device(), architectures, (epoch, train, validation, rate) -> {
                        job.epoch(epoch, train, validation);
                        if (System.nanoTime() - lastSaved[0] > TimeUnit.SECONDS.toNanos(1)) {
                            store.save(job.snapshot());
                            lastSaved[0] = System.nanoTime();
                        }
                        post(EdgeAiEvents.JOB_PROGRESS, job, Map.of("epoch", epoch, "loss", train));
                    }, () -> job.cancelRequested || stopping)) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put(result.loss().equals("mse") ? "mse" : result.loss(), result.trainLoss().get(
                        result.bestEpoch() - 1));
                if (!result.validationLoss().isEmpty()) {
                    metrics.put("validationLoss", result.bestLoss());
                }
                metrics.put("bestEpoch", (double) result.bestEpoch());
                metrics.put("epochs", (double) result.epochs());
                metrics.put("rows", (double) data.inputs().length);
                Map<String, Object> lineage = new LinkedHashMap<>();
                active.ifPresent(v -> lineage.put("parentVersion", v.version()));
                lineage.put("jobId", job.id);
                work = Files.createTempDirectory("edgeai-training-");
                if (data.from() != null) {
                    lineage.put("dataFrom", data.from().toString());
                    lineage.put("dataTo", data.to().toString());
                }
                Path archive = ModelExport.write(result, job.parsed.train(), data.inputs()[0].length,
                        data.inputNames(), metrics, lineage, data.pipeline(),
                        data.pipeline() == null ? List.of() : data.readings().names(),
                        ReferenceData.json(result, data.inputs(), data.inputNames()), work);
                ModelVersion version = registry.register(job.model, archive, new Lineage(
                        active.map(ModelVersion::version).orElse(null), job.id, data.from(), data.to(), null),
                        ModelRegistry.Source.TRAINING);
                String outcome = "registered version " + version.version() + " (staged)";
                boolean promoted = false;
                if (job.parsed.autoPromote()) {
                    Comparison comparison = Comparison.of(result, data, active, inference, pipelines, job.model);
                    if (comparison.readings() > 0) {
                        metrics.put("comparedReadings", (double) comparison.readings());
                        metrics.put("comparedLoss", comparison.freshLoss());
                        metrics.put("activeComparedLoss", comparison.activeLoss());
                    }
                    if (comparison.better()) {
                        registry.promote(job.model, version.version());
                        promoted = true;
                        outcome = "registered and promoted version " + version.version() + ": " + comparison.why();
                    } else {
                        outcome += "; not promoted: " + comparison.why();
                    }
                }
                end(job, State.SUCCEEDED, outcome, metrics, version.version(), promoted);
            }
        } catch (CancellationException e) {
            end(job, job.cancelRequested ? State.CANCELLED : State.INTERRUPTED, job.cancelRequested
                    ? "cancelled at epoch " + (job.snapshot().epoch() + 1)
                    : "the training service stopped at epoch " + (job.snapshot().epoch() + 1) + "; submit it again",
                    Map.of(), 0, false);
        } catch (InvalidSpecException | TrainingFailedException e) {
            end(job, State.FAILED, e.getMessage(), Map.of(), 0, false);
        } catch (InvalidModelException e) {
            end(job, State.FAILED, "the registry refused the trained model: " + e.getMessage(), Map.of(), 0, false);
        } catch (IOException e) {
            end(job, State.FAILED, "cannot write the trained model: " + e.getMessage(), Map.of(), 0, false);
        } catch (EngineUnavailableException e) {
            end(job, State.FAILED, e.getMessage(), Map.of(), 0, false);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Training job {} failed unexpectedly", job.id, e);
            end(job, State.FAILED, "failed: " + e, Map.of(), 0, false);
        } finally {
            if (work != null) {
                deleteQuietly(work);
            }
        }
    }

    private void end(Job job, State state, String message, Map<String, Double> metrics, int version,
            boolean promoted) {
        job.finish(state, message, metrics, version, promoted);
        TrainingJob done = job.snapshot();
        store.save(done);
        past.put(done.id(), done);
        live.remove(done.id());
        LOG.info("Training job {} ({}) {}: {}", done.id(), done.model(), state.name().toLowerCase(), message);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(EdgeAiEvents.PROP_STATE, state.name());
        properties.put(EdgeAiEvents.PROP_REASON, message);
        if (version > 0) {
            properties.put(EdgeAiEvents.PROP_VERSION, version);
        }
        post(EdgeAiEvents.JOB_FINISHED, job, properties);
    }

    /** Keeps the newest {@code keepFinishedJobs} finished jobs. */
    private void forget() {
        List<TrainingJob> finished = past.values().stream().sorted(Comparator.comparing(TrainingJob::submitted)
                .reversed()).toList();
        for (int i = Math.max(0, config.keepFinishedJobs()); i < finished.size(); i++) {
            past.remove(finished.get(i).id());
            store.delete(finished.get(i).id());
        }
    }

    private void post(String topic, Job job, Map<String, Object> extra) {
        EventAdmin admin = events;
        if (admin != null) {
            Map<String, Object> properties = new LinkedHashMap<>(extra);
            properties.put(EdgeAiEvents.PROP_JOB, job.id);
            properties.put(EdgeAiEvents.PROP_MODEL, job.model);
            admin.postEvent(new Event(topic, properties));
        }
    }

    private static void deleteQuietly(Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not clean {}: {}", folder, e.getMessage());
        }
    }
}
