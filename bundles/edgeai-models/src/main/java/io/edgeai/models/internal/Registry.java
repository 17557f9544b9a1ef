package io.edgeai.models.internal;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.Lineage;
import io.edgeai.api.model.ModelHost;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelState;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.model.Rollout;
import io.edgeai.api.model.RolloutPolicy;
import io.edgeai.api.monitoring.EdgeAiEvents;
import io.edgeai.api.reading.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's rules over a {@link ModelStore}: what may be registered (every check of {@link ModelArchive}, then a
 * trial forward pass by the {@link ModelHost}), and how versions change state. A promotion loads and warms the new
 * version beside the active one, writes the new state, and only then switches; if loading fails nothing changes.
 * Changes are serialized (one at a time for the whole registry); reads take no lock and see the state on disk.
 */
final class Registry implements ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Which sources must sign their archives, against which keys. */
    record SignaturePolicy(TrustStore trust, boolean uploads, boolean fleet, Path trainingKey) {

        SignaturePolicy(TrustStore trust, boolean uploads, boolean fleet) {
            this(trust, uploads, fleet, null);
        }

        boolean required(Source source) {
            return source == Source.UPLOAD ? uploads : source == Source.FLEET && fleet;
        }
    }

    private final ModelStore store;
    private volatile ModelArchive.Limits limits;
    private volatile SignaturePolicy signatures;
    private final Consumer<String> refused;
    private final Supplier<ModelHost> host;
    private final BiConsumer<String, Map<String, Object>> events;
    private final Object lock = new Object();
    private final Rollouts rollouts;
    private final java.util.function.Function<String, RolloutPolicy> policies;
    /** The active version per model, read from disk once and replaced by every change (all go through here). */
    private final Map<String, Optional<ModelVersion>> activeCache = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param refused told the reason of every archive refused ({@link ArchiveSignature.Refused#code()}, or
     *     {@code invalid-archive})
     */
    Registry(ModelStore store, ModelArchive.Limits limits, SignaturePolicy signatures, Supplier<ModelHost> host,
            BiConsumer<String, Map<String, Object>> events, Consumer<String> refused) {
        this(store, limits, signatures, host, events, refused, new RolloutSettings(model -> RolloutPolicy.DEFAULTS,
                () -> null, (model, state) -> { }, java.time.Clock.systemUTC()));
    }

    /**
     * What staged rollouts need besides the registry.
     *
     * @param policies each model's configured policy
     * @param labels the live accuracy, when the monitoring runs
     * @param ended told of every rollout that ended, with its final state
     */
    record RolloutSettings(java.util.function.Function<String, RolloutPolicy> policies,
            Supplier<io.edgeai.api.monitoring.Labels> labels, BiConsumer<String, Rollout.State> ended,
            java.time.Clock clock) {
    }

    Registry(ModelStore store, ModelArchive.Limits limits, SignaturePolicy signatures, Supplier<ModelHost> host,
            BiConsumer<String, Map<String, Object>> events, Consumer<String> refused, RolloutSettings settings) {
        this.store = store;
        this.limits = limits;
        this.signatures = signatures;
        this.refused = refused;
        this.host = host;
        this.events = events;
        this.policies = settings.policies();
        store.removeStaging();
        this.rollouts = new Rollouts(new Rollouts.Registry() {
            @Override
            public ModelVersion version(String model, int version) throws InvalidModelException {
                return store.version(model, version, store.state(model)).orElseThrow(() -> unknown(model, version));
            }

            @Override
            public Optional<ModelVersion> active(String model) {
                return Registry.this.active(model);
            }

            @Override
            public ModelHost.Activation prepare(ModelVersion version) throws InvalidModelException {
                return runner().prepare(version, store.folder(version.model(), version.version()));
            }

            @Override
            public void promote(ModelVersion version, ModelHost.Activation activation) throws InvalidModelException {
                promoteLoaded(version, activation);
            }
        }, store, policies, settings.labels(), events, settings.ended(), settings.clock());
    }

    private InvalidModelException unknown(String model, int version) {
        return new InvalidModelException(RejectReason.UNKNOWN_RESOURCE, "model '" + model + "' has no version "
                + version + " (versions: " + store.versionNumbers(model) + ")");
    }

    @Override
    public Rollout startRollout(String model, int version, Map<String, ?> overrides) throws InvalidModelException {
        checkName(model);
        synchronized (lock) {
            return rollouts.start(model, version, overrides);
        }
    }

    @Override
    public Optional<Rollout> rollout(String model) {
        return NAME.matcher(model).matches() ? rollouts.get(model) : Optional.empty();
    }

    @Override
    public Rollout stopRollout(String model, String reason) throws InvalidModelException {
        checkName(model);
        synchronized (lock) {
            return rollouts.stop(model, reason).orElseThrow(() -> new InvalidModelException(
                    RejectReason.UNKNOWN_RESOURCE, "model '" + model + "' has no rollout running"));
        }
    }

    @Override
    public RolloutPolicy rolloutPolicy(String model) {
        return policies.apply(model);
    }

    /** Moves the running rollouts on (guard rails, stages); called every half second by the component. */
    void tickRollouts() {
        synchronized (lock) {
            rollouts.tick();
        }
    }

    /** Unloads the versions on trial; their rollouts resume at the next start. */
    void suspendRollouts() {
        synchronized (lock) {
            rollouts.suspend();
        }
    }

    /** Makes a version that is loaded (a rollout's candidate) active, as {@link #promote} does. */
    private void promoteLoaded(ModelVersion target, ModelHost.Activation activation) throws InvalidModelException {
        ModelStore.State state = store.state(target.model());
        List<Integer> history = new ArrayList<>(state.history());
        TreeSet<Integer> retired = new TreeSet<>(state.retired());
        if (state.active() != null) {
            history.add(state.active());
            retired.add(state.active());
        }
        retired.remove(target.version());
        switchTo(target, state, state.with(target.version(), history, retired), activation);
        events.accept(EdgeAiEvents.MODEL_PROMOTED, Map.of(EdgeAiEvents.PROP_MODEL, target.model(),
                EdgeAiEvents.PROP_VERSION, target.version()));
    }

    @Override
    public List<String> models() {
        return store.models();
    }

    @Override
    public List<ModelVersion> versions(String model) {
        if (!NAME.matcher(model).matches()) {
            return List.of();
        }
        ModelStore.State state = store.state(model);
        List<ModelVersion> versions = new ArrayList<>();
        for (int v : store.versionNumbers(model)) {
            store.version(model, v, state).ifPresent(versions::add);
        }
        return versions;
    }

    @Override
    public Optional<ModelVersion> active(String model) {
        if (!NAME.matcher(model).matches()) {
            return Optional.empty();
        }
        return activeCache.computeIfAbsent(model, m -> {
            ModelStore.State state = store.state(m);
            return state.active() == null ? Optional.empty() : store.version(m, state.active(), state);
        });
    }

    @Override
    public Optional<Path> directory(String model, int version) {
        if (!NAME.matcher(model).matches() || !store.versionNumbers(model).contains(version)) {
            return Optional.empty();
        }
        return Optional.of(store.folder(model, version));
    }

    @Override
    public ModelVersion register(String model, Path archive, Lineage lineage, Source source)
            throws InvalidModelException {
        checkName(model);
        ModelHost runner = runner();
        Path signed = source == Source.TRAINING ? signTrained(model, archive) : null;
        try {
            return register(model, signed != null ? signed : archive, lineage, source, runner);
        } catch (ArchiveSignature.Refused e) {
            refused.accept(e.code());
            LOG.warn("Model '{}': archive from {} refused: {}", model, source.name().toLowerCase(Locale.ROOT),
                    e.getMessage());
            throw e;
        } catch (InvalidModelException e) {
            refused.accept("invalid-archive");
            throw e;
        } finally {
            if (signed != null) {
                try {
                    Files.deleteIfExists(signed);
                } catch (IOException e) {
                    LOG.debug("Could not remove {}: {}", signed, e.getMessage());
                }
            }
        }
    }

    /** New size limits and signature policy, for the archives registered from now on. */
    void reconfigure(ModelArchive.Limits newLimits, SignaturePolicy newSignatures) {
        this.limits = newLimits;
        this.signatures = newSignatures;
    }

    /**
     * A copy of an archive the gateway's training made, signed with the gateway's key; null (and the archive is
     * registered unsigned, with a warning) when there is no key or signing fails.
     */
    private Path signTrained(String model, Path archive) {
        Path key = signatures.trainingKey();
        if (key == null) {
            return null;
        }
        try {
            Path signed = Files.createTempFile("edgeai-signed-", ".zip");
            ArchiveSigner.sign(archive, key, signed);
            return signed;
        } catch (IOException | InvalidModelException e) {
            LOG.warn("Model '{}': the trained archive is registered unsigned: signing with {} failed: {}", model,
                    key, e.getMessage());
            return null;
        }
    }

    private ModelVersion register(String model, Path archive, Lineage lineage, Source source, ModelHost runner)
            throws InvalidModelException {
        synchronized (lock) {
            Path staging;
            try {
                staging = store.newStaging(model);
            } catch (IOException e) {
                throw new InvalidModelException("cannot write to the registry: " + e.getMessage(), e);
            }
            try {
                ModelArchive.Contents contents = ModelArchive.unpack(archive, staging, limits);
                TrustStore.Key signer = ArchiveSignature.verify(archive, staging, signatures.trust(),
                        signatures.required(source), source == Source.FLEET ? "an archive from the fleet"
                        : "an uploaded archive (requireSignature)");
                Lineage origin = lineage != null ? lineage : contents.lineage();
                if (signer != null) {
                    origin = origin.signedBy(signer.label());
                }
                int next = store.nextVersion(model);
                ModelVersion candidate = new ModelVersion(model, next, ModelState.STAGED, contents.spec(),
                        java.time.Instant.now(), contents.sha256(), contents.metrics(), origin);
                runner.check(candidate, staging);
                ModelVersion registered = store.commit(model, staging, contents, origin);
                LOG.info("Model '{}' version {} registered ({} {} -> {}, sha256 {})", model, registered.version(),
                        registered.spec().format(), registered.spec().inputSize(), registered.spec().outputSize(),
                        registered.sha256());
                events.accept(EdgeAiEvents.MODEL_REGISTERED,
                        Map.of(EdgeAiEvents.PROP_MODEL, model, EdgeAiEvents.PROP_VERSION, registered.version()));
                return registered;
            } catch (IOException e) {
                throw new InvalidModelException("cannot write to the registry: " + e.getMessage(), e);
            } finally {
                ModelStore.delete(staging);
                // a refused first version leaves nothing behind, not even the model's folder
                store.removeIfEmpty(model);
            }
        }
    }

    @Override
    public ModelVersion promote(String model, int version) throws InvalidModelException {
        checkName(model);
        synchronized (lock) {
            ModelStore.State state = store.state(model);
            ModelVersion target = store.version(model, version, state).orElseThrow(() -> new InvalidModelException(
                    RejectReason.UNKNOWN_RESOURCE, "model '" + model + "' has no version " + version + " (versions: "
                            + store.versionNumbers(model) + ")"));
            if (state.active() != null && state.active() == version) {
                return target;
            }
            rollouts.stop(model, "stopped: version " + version + " was promoted by hand");
            List<Integer> history = new ArrayList<>(state.history());
            TreeSet<Integer> retired = new TreeSet<>(state.retired());
            if (state.active() != null) {
                history.add(state.active());
                retired.add(state.active());
            }
            retired.remove(version);
            ModelVersion active = switchTo(target, state, state.with(version, history, retired));
            events.accept(EdgeAiEvents.MODEL_PROMOTED, Map.of(EdgeAiEvents.PROP_MODEL, model,
                    EdgeAiEvents.PROP_VERSION, version));
            return active;
        }
    }

    @Override
    public ModelVersion rollback(String model) throws InvalidModelException {
        checkName(model);
        synchronized (lock) {
            ModelStore.State state = store.state(model);
            if (state.history().isEmpty()) {
                throw new InvalidModelException("model '" + model + "' has no earlier active version to roll back to");
            }
            int previous = state.history().get(state.history().size() - 1);
            rollouts.stop(model, "stopped: the model was rolled back by hand to version " + previous);
            ModelVersion target = store.version(model, previous, state).orElseThrow(() -> new InvalidModelException(
                    "version " + previous + " of '" + model + "' is gone from disk"));
            List<Integer> history = new ArrayList<>(state.history().subList(0, state.history().size() - 1));
            TreeSet<Integer> retired = new TreeSet<>(state.retired());
            if (state.active() != null) {
                retired.add(state.active());
            }
            retired.remove(previous);
            ModelVersion active = switchTo(target, state, state.with(previous, history, retired));
            events.accept(EdgeAiEvents.MODEL_ROLLED_BACK, Map.of(EdgeAiEvents.PROP_MODEL, model,
                    EdgeAiEvents.PROP_VERSION, previous));
            return active;
        }
    }

    @Override
    public void delete(String model, int version) throws InvalidModelException {
        checkName(model);
        synchronized (lock) {
            ModelStore.State state = store.state(model);
            if (!store.versionNumbers(model).contains(version)) {
                throw new InvalidModelException(RejectReason.UNKNOWN_RESOURCE, "model '" + model + "' has no version "
                        + version + " (versions: " + store.versionNumbers(model) + ")");
            }
            if (state.active() != null && state.active() == version) {
                throw new InvalidModelException("version " + version + " of '" + model + "' is active: promote"
                        + " another version (or roll back) first");
            }
            if (rollouts.onTrial(model).filter(v -> v == version).isPresent()) {
                throw new InvalidModelException("version " + version + " of '" + model + "' is rolling out: stop its"
                        + " rollout first");
            }
            List<Integer> history = new ArrayList<>(state.history());
            history.removeIf(v -> v == version);
            TreeSet<Integer> retired = new TreeSet<>(state.retired());
            retired.remove(version);
            try {
                store.writeState(model, state.with(state.active(), history, retired));
                store.deleteVersion(model, version);
            } catch (IOException e) {
                throw new InvalidModelException("cannot delete: " + e.getMessage(), e);
            }
            LOG.info("Model '{}' version {} deleted", model, version);
            events.accept(EdgeAiEvents.MODEL_DELETED, Map.of(EdgeAiEvents.PROP_MODEL, model,
                    EdgeAiEvents.PROP_VERSION, version));
        }
    }

    /** Loads and warms the target beside the active version, writes the new state, then switches. */
    private ModelVersion switchTo(ModelVersion target, ModelStore.State before, ModelStore.State after)
            throws InvalidModelException {
        return switchTo(target, before, after, runner().prepare(target, store.folder(target.model(),
                target.version())));
    }

    private ModelVersion switchTo(ModelVersion target, ModelStore.State before, ModelStore.State after,
            ModelHost.Activation activation) throws InvalidModelException {
        try {
            store.writeState(target.model(), after);
            activeCache.remove(target.model());
        } catch (IOException | RuntimeException e) {
            activation.abort();
            throw new InvalidModelException("cannot write the registry's state: " + e.getMessage(), e);
        }
        activation.commit();
        LOG.info("Model '{}' version {} active (was {})", target.model(), target.version(), before.active());
        return target.withState(ModelState.ACTIVE);
    }

    /** Puts every active version in service: called when a host appears (at start, or after its bundle's update). */
    void serveActive(ModelHost target) {
        for (String model : models()) {
            try {
                Optional<ModelVersion> active = active(model);
                if (active.isPresent()) {
                    target.prepare(active.get(), store.folder(model, active.get().version())).commit();
                    LOG.info("Model '{}' version {} serving", model, active.get().version());
                }
            } catch (InvalidModelException | RuntimeException e) {
                LOG.error("Model '{}': its active version cannot be served: {}", model, e.getMessage());
            }
        }
        synchronized (lock) {
            rollouts.resume();
        }
    }

    private ModelHost runner() throws InvalidModelException {
        ModelHost current = host.get();
        if (current == null) {
            throw new InvalidModelException("no inference service to try the model on (feature edgeai-inference"
                    + " is not running)");
        }
        return current;
    }

    private static void checkName(String model) throws InvalidModelException {
        if (model == null || !NAME.matcher(model).matches()) {
            throw new InvalidModelException("model name '" + model + "': 1 to 64 letters, digits, '.', '_', '-',"
                    + " starting with a letter or digit");
        }
    }
}
