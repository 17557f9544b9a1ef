package io.edgeai.models.internal;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.Lineage;
import io.edgeai.api.model.ModelHost;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelSigning;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.model.Rollout;
import io.edgeai.api.model.RolloutPolicy;
import io.edgeai.api.monitoring.Labels;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.api.monitoring.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
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

/**
 * The {@link ModelRegistry} service over the data folder ({@code data/edgeai/models}). When a {@link ModelHost}
 * (the inference service) appears, every model's active version is put in service on it; registry changes are
 * posted on EventAdmin ({@code io/edgeai/model/*}).
 */
@Component(service = {ModelRegistry.class, ModelSigning.class, HealthIndicator.class, MeterBinder.class},
        configurationPid = "io.edgeai.models")
@Designate(ocd = RegistryConfig.class)
public class ModelRegistryComponent implements ModelRegistry, ModelSigning, HealthIndicator, MeterBinder {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelRegistryComponent.class);

    private volatile ModelHost host;
    private volatile EventAdmin eventAdmin;
    private final Registry registry;
    private final MeterSet meters = new MeterSet();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();

    @Activate
    public ModelRegistryComponent(RegistryConfig config, Map<String, Object> properties) {
        Path data = Paths.get(System.getProperty("karaf.data", "data"));
        this.folder = config.folder();
        this.policies = new RolloutPolicies(config, properties);
        this.registry = new Registry(new ModelStore(data.resolve(config.folder()).toAbsolutePath().normalize()),
                limits(config), signatures(config), () -> host, this::post, this::refused,
                new Registry.RolloutSettings(model -> policies.policy(model), () -> labels, this::rolloutEnded,
                        java.time.Clock.systemUTC()));
        ModelHost present = host;
        if (present != null) {
            registry.serveActive(present);
        }
        ticker.scheduleWithFixedDelay(registry::tickRollouts, 500, 500, TimeUnit.MILLISECONDS);
    }

    private static Path etc() {
        return Paths.get(System.getProperty("karaf.etc", "etc"));
    }

    private static ModelArchive.Limits limits(RegistryConfig config) {
        return new ModelArchive.Limits(config.maxArchiveMegabytes() * 1024L * 1024L,
                config.maxUnpackedMegabytes() * 1024L * 1024L, 1000);
    }

    private static Registry.SignaturePolicy signatures(RegistryConfig config) {
        return new Registry.SignaturePolicy(new TrustStore(etc().resolve(config.trustFolder()).toAbsolutePath()
                .normalize()), config.requireSignature(), config.requireSignatureFromFleet(), trainingKey(config, etc()));
    }

    /**
     * A change of etc/io.edgeai.models.cfg, taken up while the models serve (nothing is reloaded, no rollout stops):
     * size limits, signature requirements, trust folder and signing key apply to the archives registered from now on,
     * rollout policies to the rollouts started from now on. The registry's folder is read at start only.
     */
    @Modified
    void modified(RegistryConfig config, Map<String, Object> properties) {
        registry.reconfigure(limits(config), signatures(config));
        this.policies = new RolloutPolicies(config, properties);
        if (!config.folder().equals(folder)) {
            LOG.warn("etc/io.edgeai.models.cfg: folder"
                    + " = {} applies when the registry starts again (bundle:restart io.edgeai.models); it serves"
                    + " from {} until then", config.folder(), folder);
        }
        LOG.info("Model registry settings changed:"
                + " archives up to {} MB ({} MB unpacked), signatures required from uploads {}, from the fleet {};"
                + " models serve on", config.maxArchiveMegabytes(), config.maxUnpackedMegabytes(),
                config.requireSignature(), config.requireSignatureFromFleet());
    }

    /** The gateway's signing key for trained models (made when missing), or null when they are not signed. */
    private static Path trainingKey(RegistryConfig config, Path etc) {
        if (!config.signTrainedModels()) {
            return null;
        }
        Path key = etc.resolve(config.signingKey()).toAbsolutePath().normalize();
        try {
            return GatewayKey.ensure(key, etc.resolve(config.trustFolder()).toAbsolutePath().normalize());
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("The gateway's signing key {} cannot"
                    + " be made ({}): trained models are registered unsigned", key, e.toString());
            return null;
        }
    }

    private volatile RolloutPolicies policies;
    /** The registry's folder under data/, as it started. */
    private final String folder;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "edgeai-rollouts");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, LongAdder> rollouts = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Labels labels;

    /** Counts a rollout that ended: {@code edgeai_model_rollouts_total{model,outcome}}. */
    private void rolloutEnded(String model, Rollout.State state) {
        String outcome = state.name().toLowerCase(java.util.Locale.ROOT);
        rollouts.computeIfAbsent(model + "\n" + outcome, key -> {
            LongAdder count = new LongAdder();
            meters.counter("edgeai.model.rollouts", "Staged rollouts that ended, by model and outcome (completed,"
                    + " rolled_back, stopped)", count, LongAdder::sum, "model", model, "outcome", outcome);
            return count;
        }).increment();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindModelHost(ModelHost newHost) {
        this.host = newHost;
        Registry ready = registry;
        if (ready != null) {
            ready.serveActive(newHost);
        }
    }

    void unbindModelHost(ModelHost gone) {
        if (host == gone) {
            host = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unbindEventAdmin(EventAdmin admin) {
        if (eventAdmin == admin) {
            eventAdmin = null;
        }
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }

    @Override
    public List<String> models() {
        return registry.models();
    }

    @Override
    public List<ModelVersion> versions(String model) {
        return registry.versions(model);
    }

    @Override
    public Optional<ModelVersion> active(String model) {
        return registry.active(model);
    }

    @Override
    public Optional<Path> directory(String model, int version) {
        return registry.directory(model, version);
    }

    @Override
    public ModelVersion register(String model, Path archive, Lineage lineage, Source source)
            throws InvalidModelException {
        return registry.register(model, archive, lineage, source);
    }

    @Override
    public String sign(Path archive, Path privateKey, Path out) throws InvalidModelException {
        return ArchiveSigner.sign(archive, privateKey, out);
    }

    /** Counts a refused archive by its reason: {@code edgeai_model_archives_refused_total{reason}}. */
    private void refused(String reason) {
        refusals.computeIfAbsent(reason, r -> {
            LongAdder count = new LongAdder();
            meters.counter("edgeai.model.archives.refused", "Model archives refused, by reason (unsigned,"
                    + " unknown-key, revoked-key, bad-signature, digest-mismatch, unlisted-file, missing-file,"
                    + " bad-manifest, invalid-archive)", count, LongAdder::sum, "reason", r);
            return count;
        }).increment();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(30, TimeUnit.SECONDS);
        registry.suspendRollouts();
        meters.close();
    }

    @Override
    public Rollout startRollout(String model, int version, Map<String, ?> overrides) throws InvalidModelException {
        return registry.startRollout(model, version, overrides);
    }

    @Override
    public Optional<Rollout> rollout(String model) {
        return registry.rollout(model);
    }

    @Override
    public Rollout stopRollout(String model, String reason) throws InvalidModelException {
        return registry.stopRollout(model, reason);
    }

    @Override
    public RolloutPolicy rolloutPolicy(String model) {
        return registry.rolloutPolicy(model);
    }

    @Override
    public ModelVersion promote(String model, int version) throws InvalidModelException {
        return registry.promote(model, version);
    }

    @Override
    public ModelVersion rollback(String model) throws InvalidModelException {
        return registry.rollback(model);
    }

    @Override
    public void delete(String model, int version) throws InvalidModelException {
        registry.delete(model, version);
    }

    @Override
    public Health health() {
        List<String> models = registry.models();
        long active = models.stream().filter(m -> registry.active(m).isPresent()).count();
        String summary = models.size() + " models, " + active + " with an active version";
        return host == null ? new Health("models", Status.DEGRADED, summary + "; no inference service")
                : new Health("models", Status.UP, summary);
    }
}
