package io.edgeai.models.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelHost;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.model.Rollout;
import io.edgeai.api.model.RolloutPolicy;
import io.edgeai.api.model.RolloutStage;
import io.edgeai.api.model.TrialFigures;
import io.edgeai.api.monitoring.EdgeAiEvents;
import io.edgeai.api.monitoring.Labels;
import io.edgeai.api.monitoring.LiveScore;
import io.edgeai.api.reading.RejectReason;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staged rollouts: a version loaded beside the active one goes shadow, then canary, then active, while its figures
 * against the active version stay within the policy's guard rails; the first breach unloads it (the active version
 * never stopped answering) and says why. Driven by {@link #tick}; every change of state is written to the model's
 * {@code rollout.json}, posted ({@code io/edgeai/model/ROLLOUT}), logged and counted. A rollout running when the
 * gateway stops is taken up again at its stage, with fresh figures, when the inference service is back.
 * Called under the registry's lock.
 */
final class Rollouts {

    private static final Logger LOG = LoggerFactory.getLogger(Rollouts.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the registry does for a rollout. */
    interface Registry {
        ModelVersion version(String model, int version) throws InvalidModelException;

        Optional<ModelVersion> active(String model);

        ModelHost.Activation prepare(ModelVersion version) throws InvalidModelException;

        /** Makes the loaded version active as a promotion does (state written, then switched, event posted). */
        void promote(ModelVersion version, ModelHost.Activation activation) throws InvalidModelException;
    }

    private static final class Running {
        final ModelVersion candidate;
        final int from;
        final RolloutPolicy policy;
        final Instant started;
        ModelHost.Activation activation;
        volatile Rollout.State state;
        Instant stageStarted;
        Instant updated;
        TrialFigures figures;
        Rollout.LabelFigures labels;
        LiveScore candidateAtCanary = LiveScore.NONE;
        LiveScore activeAtCanary = LiveScore.NONE;
        final java.util.List<TrialFigures> passed = new java.util.ArrayList<>();

        Running(ModelVersion candidate, int from, RolloutPolicy policy, Rollout.State state, Instant started,
                Instant stageStarted) {
            this.candidate = candidate;
            this.from = from;
            this.policy = policy;
            this.state = state;
            this.started = started;
            this.stageStarted = stageStarted;
            this.updated = stageStarted;
        }

        Rollout snapshot() {
            return new Rollout(candidate.model(), candidate.version(), from, state, "", started, stageStarted,
                    updated, policy, figures, labels, passed);
        }
    }

    private final Registry registry;
    private final ModelStore store;
    private final Function<String, RolloutPolicy> policies;
    private final Supplier<Labels> labels;
    private final BiConsumer<String, Map<String, Object>> events;
    private final BiConsumer<String, Rollout.State> ended;
    private final Clock clock;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Rollout> last = new ConcurrentHashMap<>();
    /** Rollouts found running on disk, waiting for an inference service to be taken up again on. */
    private final Map<String, Rollout> toResume = new ConcurrentHashMap<>();

    /**
     * @param ended told of every rollout that ended, with its final state (for the metrics)
     */
    Rollouts(Registry registry, ModelStore store, Function<String, RolloutPolicy> policies, Supplier<Labels> labels,
            BiConsumer<String, Map<String, Object>> events, BiConsumer<String, Rollout.State> ended, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.policies = policies;
        this.labels = labels;
        this.events = events;
        this.ended = ended;
        this.clock = clock;
        for (String model : store.modelFolders()) {
            store.readRollout(model).flatMap(json -> read(model, json)).ifPresent(rollout -> {
                last.put(model, rollout);
                if (rollout.state().running()) {
                    toResume.put(model, rollout);
                }
            });
        }
    }

    Optional<Rollout> get(String model) {
        Running r = running.get(model);
        // one that just ended is in last before it leaves running: readers never see an older rollout meanwhile
        return r != null && r.state.running() ? Optional.of(r.snapshot()) : Optional.ofNullable(last.get(model));
    }

    /** The version a rollout of the model has on trial, if one runs. */
    Optional<Integer> onTrial(String model) {
        Running r = running.get(model);
        if (r != null) {
            return Optional.of(r.candidate.version());
        }
        Rollout waiting = toResume.get(model);
        return waiting == null ? Optional.empty() : Optional.of(waiting.version());
    }

    Rollout start(String model, int version, Map<String, ?> overrides) throws InvalidModelException {
        if (running.containsKey(model) || toResume.containsKey(model)) {
            Rollout current = get(model).orElseThrow();
            throw new InvalidModelException("model '" + model + "' is rolling out version " + current.version()
                    + " (" + current.state() + "): stop that rollout first");
        }
        RolloutPolicy policy;
        try {
            policy = policies.apply(model).with(overrides == null ? Map.of() : overrides);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(RejectReason.MALFORMED, e.getMessage());
        }
        ModelVersion candidate = registry.version(model, version);
        ModelVersion active = registry.active(model).orElseThrow(() -> new InvalidModelException("model '" + model
                + "' has no active version to compare version " + version + " with: promote it directly"));
        if (active.version() == version) {
            throw new InvalidModelException("version " + version + " of '" + model + "' is already active");
        }
        RolloutStage first = first(policy);
        if (first == null) {
            throw new InvalidModelException(RejectReason.MALFORMED, "the rollout has neither a shadow stage"
                    + " (shadowRequests, shadowSeconds) nor a canary stage (canaryShare): promote the version instead");
        }
        Instant now = clock.instant();
        Running r = new Running(candidate, active.version(), policy, state(first), now, now);
        begin(r, first);
        running.put(model, r);
        write(r.snapshot());
        LOG.info("Model '{}': rollout of version {} started in {} (active: version {}); policy {}", model, version,
                first, active.version(), policy.asMap());
        post(r.snapshot());
        return r.snapshot();
    }

    /** Loads the candidate and puts it on trial at a stage; nothing stays loaded when it fails. */
    private void begin(Running r, RolloutStage stage) throws InvalidModelException {
        ModelHost.Activation activation = registry.prepare(r.candidate);
        try {
            activation.trial(stage, r.policy.canaryShare());
        } catch (RuntimeException e) {
            activation.abort();
            throw new InvalidModelException("version " + r.candidate.version() + " of '" + r.candidate.model()
                    + "' cannot go on trial: " + e.getMessage(), e);
        }
        r.activation = activation;
        if (stage == RolloutStage.CANARY) {
            scoresAtCanary(r);
        }
    }

    private static RolloutStage first(RolloutPolicy policy) {
        if (policy.shadowRequests() > 0 || policy.shadowSeconds() > 0) {
            return RolloutStage.SHADOW;
        }
        return policy.canaryShare() > 0 ? RolloutStage.CANARY : null;
    }

    private static Rollout.State state(RolloutStage stage) {
        return stage == RolloutStage.SHADOW ? Rollout.State.SHADOW : Rollout.State.CANARY;
    }

    /** Stops the model's rollout, if one runs (before a promotion or rollback by hand, or at an operator's word). */
    Optional<Rollout> stop(String model, String reason) {
        Rollout waiting = toResume.remove(model);
        Running r = running.get(model);
        if (r == null && waiting == null) {
            return Optional.empty();
        }
        Rollout done;
        if (r != null) {
            done = end(r, Rollout.State.STOPPED, reason);
            running.remove(model);
            r.activation.abort();
        } else {
            done = new Rollout(model, waiting.version(), waiting.from(), Rollout.State.STOPPED, reason,
                    waiting.started(), waiting.stageStarted(), clock.instant(), waiting.policy(), waiting.figures(),
                    waiting.labels(), waiting.passed());
            finish(done);
        }
        LOG.info("Model '{}': rollout of version {} stopped: {}", model, done.version(), reason);
        return Optional.of(done);
    }

    /** Takes up the rollouts that were running when the gateway (or its inference service) stopped. */
    void resume() {
        for (Running r : running.values()) {
            // the inference service was replaced: the loaded candidate went with it
            toResume.put(r.candidate.model(), r.snapshot());
        }
        running.clear();
        for (Rollout waiting : Map.copyOf(toResume).values()) {
            String model = waiting.model();
            toResume.remove(model);
            try {
                ModelVersion candidate = registry.version(model, waiting.version());
                Optional<ModelVersion> active = registry.active(model);
                if (active.isEmpty() || active.get().version() != waiting.from()) {
                    throw new InvalidModelException("the active version changed to " + active.map(v -> "version "
                            + v.version()).orElse("none") + " meanwhile");
                }
                RolloutStage stage = waiting.state() == Rollout.State.CANARY ? RolloutStage.CANARY
                        : RolloutStage.SHADOW;
                Instant now = clock.instant();
                Running r = new Running(candidate, waiting.from(), waiting.policy(), waiting.state(),
                        waiting.started(), now);
                r.passed.addAll(waiting.passed());
                begin(r, stage);
                running.put(model, r);
                write(r.snapshot());
                LOG.info("Model '{}': rollout of version {} taken up again in {} (figures start again)", model,
                        waiting.version(), stage);
            } catch (InvalidModelException | RuntimeException e) {
                Rollout done = new Rollout(model, waiting.version(), waiting.from(), Rollout.State.STOPPED,
                        "could not be taken up again after a restart: " + e.getMessage(), waiting.started(),
                        waiting.stageStarted(), clock.instant(), waiting.policy(), waiting.figures(),
                        waiting.labels(), waiting.passed());
                finish(done);
                LOG.warn("Model '{}': rollout of version {} stopped: {}", model, waiting.version(), done.reason());
            }
        }
    }

    /** Unloads the candidates (the inference service keeps serving); the rollouts resume at the next start. */
    void suspend() {
        for (Running r : running.values()) {
            r.activation.abort();
            toResume.put(r.candidate.model(), r.snapshot());
        }
        running.clear();
    }

    /** Looks at every running rollout: a breach rolls it back; a stage that has what it needs moves on. */
    void tick() {
        for (Running r : running.values()) {
            try {
                tick(r);
            } catch (RuntimeException e) {
                LOG.error("Model '{}': rollout of version {} failed: {}", r.candidate.model(), r.candidate.version(),
                        e.toString());
                end(r, Rollout.State.STOPPED, "failed: " + e.getMessage());
                running.remove(r.candidate.model());
                r.activation.abort();
            }
        }
    }

    private void tick(Running r) {
        TrialFigures figures = r.activation.figures();
        if (figures == null) {
            return; // not on trial any more: the inference service went; resume() takes it up again
        }
        r.figures = figures;
        String model = r.candidate.model();
        String breach = breach(r.policy, figures);
        if (breach == null && r.state == Rollout.State.CANARY) {
            breach = accuracyBreach(r);
        }
        if (breach != null) {
            Rollout done = end(r, Rollout.State.ROLLED_BACK, breach);
            running.remove(model);
            r.activation.abort();
            LOG.warn("Model '{}': version {} rolled back in {}: {}; version {} stays active", model,
                    done.version(), figures.stage(), breach, r.from);
            return;
        }
        Instant now = clock.instant();
        long seconds = Duration.between(r.stageStarted, now).toSeconds();
        boolean shadow = r.state == Rollout.State.SHADOW;
        long needed = shadow ? r.policy.shadowRequests() : r.policy.canaryRequests();
        long minSeconds = shadow ? r.policy.shadowSeconds() : r.policy.canarySeconds();
        if (figures.compared() < needed || seconds < minSeconds) {
            return;
        }
        if (shadow && r.policy.canaryShare() > 0) {
            r.passed.add(figures);
            r.activation.trial(RolloutStage.CANARY, r.policy.canaryShare());
            r.state = Rollout.State.CANARY;
            r.stageStarted = now;
            r.updated = now;
            r.figures = null;
            scoresAtCanary(r);
            write(r.snapshot());
            LOG.info("Model '{}': version {} passed its shadow stage ({}); canary for {} % of the devices", model,
                    r.candidate.version(), describe(figures), r.policy.canaryShare() * 100);
            post(r.snapshot());
            return;
        }
        try {
            registry.promote(r.candidate, r.activation);
        } catch (InvalidModelException e) {
            end(r, Rollout.State.STOPPED, "could not be made active: " + e.getMessage());
            running.remove(model);
            r.activation.abort();
            return;
        }
        Rollout done = end(r, Rollout.State.COMPLETED, "");
        running.remove(model);
        LOG.info("Model '{}': version {} completed its rollout ({}) and is active", model, done.version(),
                describe(figures));
    }

    /** The first guard rail the figures breach, said with its figures; null when within all. */
    static String breach(RolloutPolicy policy, TrialFigures f) {
        if (f.compared() < policy.minRequests()) {
            return null;
        }
        if (f.errorRate() > policy.maxErrorRate()) {
            return String.format(Locale.ROOT, "error rate %.1f %% (%d of %d compared requests failed where the active"
                    + " version answered; at most %.1f %%)", f.errorRate() * 100, f.candidateErrors(), f.compared(),
                    policy.maxErrorRate() * 100);
        }
        double candidate = f.candidateP99Millis();
        double active = f.activeP99Millis();
        if (Double.isFinite(candidate) && Double.isFinite(active) && candidate > active * policy.maxLatencyRatio()
                && candidate - active > policy.latencySlackMillis()) {
            return String.format(Locale.ROOT, "p99 latency %.1f ms against the active version's %.1f ms (at most"
                    + " %.1fx and %.0f ms more)", candidate, active, policy.maxLatencyRatio(),
                    policy.latencySlackMillis());
        }
        if (policy.maxOutputDrift() > 0 && Double.isFinite(f.outputDrift())
                && f.outputDrift() > policy.maxOutputDrift()) {
            return String.format(Locale.ROOT, "output drift %.2f (mean |difference| from the active version's"
                    + " outputs on the same %d requests, in its standard deviations; bias %+.2f; at most %.2f)",
                    f.outputDrift(), f.compared(), f.outputBias(), policy.maxOutputDrift());
        }
        return null;
    }

    private void scoresAtCanary(Running r) {
        Labels service = labels.get();
        r.labels = null;
        if (service != null) {
            r.candidateAtCanary = service.liveScore(r.candidate.model(), r.candidate.version());
            r.activeAtCanary = service.liveScore(r.candidate.model(), r.from);
        }
    }

    /** Live accuracy of the canary against the active version, on the labels since the canary began. */
    private String accuracyBreach(Running r) {
        Labels service = labels.get();
        if (service == null) {
            return null;
        }
        LiveScore candidate = service.liveScore(r.candidate.model(), r.candidate.version())
                .since(r.candidateAtCanary);
        LiveScore active = service.liveScore(r.candidate.model(), r.from).since(r.activeAtCanary);
        boolean classifier = candidate.classified() > 0 || active.classified() > 0;
        long candidateLabels = classifier ? candidate.classified() : candidate.regressed();
        long activeLabels = classifier ? active.classified() : active.regressed();
        if (candidateLabels == 0 && activeLabels == 0) {
            return null;
        }
        double candidateScore = score(candidate, classifier);
        double activeScore = score(active, classifier);
        r.labels = new Rollout.LabelFigures(candidateLabels, candidateScore, activeLabels, activeScore, classifier);
        if (candidateLabels < r.policy.minLabels() || activeLabels < r.policy.minLabels()) {
            return null;
        }
        double loss = r.policy.maxAccuracyLoss();
        if (classifier && candidateScore < activeScore - loss) {
            return String.format(Locale.ROOT, "live accuracy %.1f %% on %d labels against the active version's"
                    + " %.1f %% on %d (at most %.1f points less)", candidateScore * 100, candidateLabels,
                    activeScore * 100, activeLabels, loss * 100);
        }
        if (!classifier && candidateScore > activeScore * (1 + loss)) {
            return String.format(Locale.ROOT, "live mean absolute error %.4g on %d labels against the active"
                    + " version's %.4g on %d (at most %.0f %% more)", candidateScore, candidateLabels, activeScore,
                    activeLabels, loss * 100);
        }
        return null;
    }

    private static double score(LiveScore score, boolean classifier) {
        if (classifier) {
            return score.classified() == 0 ? Double.NaN : (double) score.correct() / score.classified();
        }
        return score.regressed() == 0 ? Double.NaN : score.absoluteError() / score.regressed();
    }

    private static String describe(TrialFigures f) {
        return String.format(Locale.ROOT, "%d compared, error rate %.2f %%, p99 %.1f ms vs %.1f ms, drift %.3f",
                f.compared(), f.errorRate() * 100, f.candidateP99Millis(), f.activeP99Millis(), f.outputDrift());
    }

    private Rollout end(Running r, Rollout.State state, String reason) {
        r.state = state;
        Rollout done = new Rollout(r.candidate.model(), r.candidate.version(), r.from, state, reason, r.started,
                r.stageStarted, clock.instant(), r.policy, r.figures, r.labels, r.passed);
        finish(done);
        return done;
    }

    private void finish(Rollout done) {
        last.put(done.model(), done);
        write(done);
        post(done);
        ended.accept(done.model(), done.state());
    }

    private void post(Rollout rollout) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(EdgeAiEvents.PROP_MODEL, rollout.model());
        properties.put(EdgeAiEvents.PROP_VERSION, rollout.version());
        properties.put(EdgeAiEvents.PROP_STATE, rollout.state().name());
        properties.put(EdgeAiEvents.PROP_REASON, rollout.reason());
        events.accept(EdgeAiEvents.MODEL_ROLLOUT, properties);
    }

    private void write(Rollout rollout) {
        if (!rollout.state().running()) {
            toResume.remove(rollout.model());
        }
        try {
            store.writeRollout(rollout.model(), JSON.writeValueAsBytes(rollout.asMap()));
        } catch (IOException e) {
            LOG.error("Model '{}': cannot write its rollout's state ({}): a restart forgets it", rollout.model(),
                    e.getMessage());
        }
    }

    private static Optional<Rollout> read(String model, byte[] bytes) {
        try {
            JsonNode json = JSON.readTree(bytes);
            Map<String, Object> settings = new HashMap<>();
            json.path("policy").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().numberValue()));
            TrialFigures figures = figures(json.path("figures"));
            java.util.List<TrialFigures> passed = new java.util.ArrayList<>();
            json.path("passed").forEach(stage -> passed.add(figures(stage)));
            Rollout.LabelFigures labels = null;
            JsonNode l = json.path("labels");
            if (l.isObject()) {
                labels = new Rollout.LabelFigures(l.path("candidateLabels").asLong(), real(l, "candidate"),
                        l.path("activeLabels").asLong(), real(l, "active"), "accuracy".equals(l.path("measure")
                        .asText()));
            }
            return Optional.of(new Rollout(model, json.path("version").asInt(), json.path("from").asInt(),
                    Rollout.State.valueOf(json.path("state").asText()), json.path("reason").asText(""),
                    Instant.parse(json.path("started").asText()), Instant.parse(json.path("stageStarted").asText()),
                    Instant.parse(json.path("updated").asText()), RolloutPolicy.DEFAULTS.with(settings), figures,
                    labels, passed));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Model '{}': its rollout.json cannot be read ({}); the rollout it held is forgotten", model,
                    e.toString());
            return Optional.empty();
        }
    }

    private static TrialFigures figures(JsonNode f) {
        if (!f.isObject()) {
            return null;
        }
        return new TrialFigures(RolloutStage.valueOf(f.path("stage").asText()), f.path("requests").asLong(),
                f.path("compared").asLong(), f.path("candidateErrors").asLong(), f.path("activeErrors").asLong(),
                f.path("skipped").asLong(), real(f, "candidateP99Millis"), real(f, "activeP99Millis"),
                real(f, "outputDrift"), real(f, "outputBias"));
    }

    private static double real(JsonNode json, String name) {
        JsonNode value = json.path(name);
        return value.isNumber() ? value.asDouble() : Double.NaN;
    }
}
