package io.edgeai.training.internal;

import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingJob.State;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A job while this gateway runs it: changed by its worker, read as {@link TrainingJob} snapshots by everyone else. */
final class Job {

    final String id;
    final String model;
    final Map<String, Object> spec;
    final JobSpec parsed;
    final Instant submitted = Instant.now();
    private final List<Double> trainLoss = new CopyOnWriteArrayList<>();
    private final List<Double> validationLoss = new CopyOnWriteArrayList<>();
    private volatile State state = State.QUEUED;
    private volatile Instant started;
    private volatile Instant finished;
    private volatile int epoch;
    private volatile Map<String, Double> metrics = Map.of();
    private volatile String message = "";
    private volatile int version;
    private volatile boolean promoted;
    volatile boolean cancelRequested;
    /** What the executor runs for this job (removed from its queue by a cancel before it starts). */
    volatile Runnable task;

    Job(String id, String model, Map<String, Object> spec, JobSpec parsed) {
        this.id = id;
        this.model = model;
        this.spec = spec;
        this.parsed = parsed;
    }

    State state() {
        return state;
    }

    synchronized void start() {
        state = State.RUNNING;
        started = Instant.now();
    }

    void epoch(int number, double train, double validation) {
        trainLoss.add(train);
        if (Double.isFinite(validation)) {
            validationLoss.add(validation);
        }
        epoch = number;
    }

    synchronized void finish(State end, String why, Map<String, Double> measured, int registered,
            boolean wasPromoted) {
        state = end;
        finished = Instant.now();
        message = why;
        metrics = new LinkedHashMap<>(measured);
        version = registered;
        promoted = wasPromoted;
    }

    synchronized TrainingJob snapshot() {
        return new TrainingJob(id, model, state, submitted, started, finished, epoch, parsed.train().epochs(),
                trainLoss, validationLoss, metrics, message, version, promoted, spec);
    }
}
