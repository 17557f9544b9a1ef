package io.edgeai.monitoring.internal;

import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.monitoring.EdgeAiEvents;
import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code retrainOnDrift = true}: when a value of a model starts drifting, trains the model again with the spec of
 * the job that made the drifting version (its lineage), so that a spec reading the device's recent readings
 * ({@code "data": {"source": "readings", "last": "24h"}}) learns what the model sees now. At most one retraining per
 * model every {@code retrainMinMinutes}, none while a job of the model is queued or running; an uploaded version (no
 * job) is not retrained. Each retraining is announced on {@link EdgeAiEvents#RETRAIN_STARTED} ({@code model},
 * {@code version}, {@code feature}, {@code job}, {@code basedOn}) and logged; whether the new version serves is the
 * spec's {@code autoPromote}.
 */
@Component(service = EventHandler.class, configurationPid = "io.edgeai.monitoring",
        property = EventConstants.EVENT_TOPIC + "=" + EdgeAiEvents.DRIFT_DETECTED)
public class DriftRetrainer implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DriftRetrainer.class);

    private final MonitoringConfig config;
    private final Map<String, Long> lastRetrain = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TrainingService training;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin events;

    @Activate
    public DriftRetrainer(MonitoringConfig config) {
        this.config = config;
    }

    @Override
    public void handleEvent(Event event) {
        if (!config.retrainOnDrift() || !Boolean.TRUE.equals(event.getProperty("drifting"))) {
            return;
        }
        String model = String.valueOf(event.getProperty(EdgeAiEvents.PROP_MODEL));
        int version = event.getProperty(EdgeAiEvents.PROP_VERSION) instanceof Integer v ? v : 0;
        String feature = String.valueOf(event.getProperty("feature"));
        TrainingService trainer = training;
        ModelRegistry models = registry;
        if (trainer == null || models == null) {
            LOG.warn("Model {} drifts ({}) but training is not installed: not retrained", model, feature);
            return;
        }
        if (trainer.jobs().stream().anyMatch(j -> j.model().equals(model) && (j.state() == TrainingJob.State.QUEUED
                || j.state() == TrainingJob.State.RUNNING))) {
            LOG.info("Model {} drifts ({}); a job of it is already under way: not retrained again", model, feature);
            return;
        }
        long now = System.currentTimeMillis();
        Long last = lastRetrain.get(model);
        if (last != null && now - last < config.retrainMinMinutes() * 60_000L) {
            LOG.info("Model {} drifts ({}); retrained {} min ago, at most every {} min: not retrained", model, feature,
                    (now - last) / 60_000, config.retrainMinMinutes());
            return;
        }
        Optional<String> origin = models.versions(model).stream().filter(v -> v.version() == version).findFirst()
                .map(ModelVersion::lineage).map(l -> l.jobId());
        Optional<TrainingJob> job = origin.flatMap(trainer::job);
        if (job.isEmpty()) {
            LOG.warn("Model {} version {} drifts ({}) but was {}: nothing to retrain it with", model, version, feature,
                    origin.isEmpty() ? "uploaded, not trained here" : "trained by job " + origin.get()
                    + ", which is no longer kept");
            return;
        }
        lastRetrain.put(model, now);
        TrainingJob started;
        try {
            started = trainer.submit(model, job.get().spec());
        } catch (RuntimeException e) {
            LOG.warn("Model {} drifts ({}); retraining with job {}'s spec was refused: {}", model, feature,
                    job.get().id(), e.getMessage());
            return;
        }
        LOG.info("Model {} version {} drifts ({}): retraining as job {} with the spec of job {}", model, version,
                feature, started.id(), job.get().id());
        EventAdmin admin = events;
        if (admin != null) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put(EdgeAiEvents.PROP_MODEL, model);
            properties.put(EdgeAiEvents.PROP_VERSION, version);
            properties.put("feature", feature);
            properties.put(EdgeAiEvents.PROP_JOB, started.id());
            properties.put("basedOn", job.get().id());
            admin.postEvent(new Event(EdgeAiEvents.RETRAIN_STARTED, properties));
        }
    }
}
