package io.edgeai.monitoring.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.inference.PredictionListener;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.monitoring.EdgeAiEvents;
import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.monitoring.internal.drift.DriftDetector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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
 * Drift of every serving model version that carries {@code reference.json} (what it was trained on): each input
 * feature and each output of the batches it computes goes through a {@link DriftDetector} against its reference, on
 * a thread of its own (the batch workers only hand the batches over; when the queue is full a batch is skipped and
 * counted). A value that starts or stops drifting is announced on EventAdmin ({@link EdgeAiEvents#DRIFT_DETECTED}:
 * model, version, feature, drifting, ks, pValue, psi) and logged.
 */
@Component(service = {PredictionListener.class, DriftMonitor.class, MeterBinder.class},
        configurationPid = "io.edgeai.monitoring")
@Designate(ocd = MonitoringConfig.class)
public class DriftMonitor implements PredictionListener, MeterBinder {

    /** The drift of one value of one serving version, as metrics and the console show it. */
    record Feature(String model, int version, String feature, DriftDetector.State state) {
    }

    private record Batch(String model, int version, float[][] inputs, float[][] outputs) {
    }

    /** One version's detectors, by value name; empty when it has no reference. */
    private record Watched(Map<String, DriftDetector> inputs, Map<String, DriftDetector> outputs) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MonitoringConfig config;
    private final BlockingQueue<Batch> queue;
    private final Map<String, Watched> versions = new ConcurrentHashMap<>();
    private final Map<String, Feature> latest = new ConcurrentHashMap<>();
    private final LongAdder skipped = new LongAdder();
    /** Its meters: the skipped batches, and three gauges per model and value, added when the value is first seen. */
    private final MeterSet meters = new MeterSet();
    private final Thread worker;
    private volatile boolean running = true;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin events;

    /** Where the versions' reference.json files are (optional: the feature installs without the model registry). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelRegistry registry;

    @Activate
    public DriftMonitor(MonitoringConfig config) {
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, config.driftQueue()));
        this.worker = new Thread(this::work, "edgeai-drift");
        worker.setDaemon(true);
        meters.counter("edgeai.drift.skipped", "Batches not monitored for drift (its queue was full)", skipped,
                LongAdder::sum);
        worker.start();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(5));
    }

    @Override
    public void predicted(String model, int version, float[][] inputs, float[][] outputs) {
        if (!queue.offer(new Batch(model, version, inputs, outputs))) {
            skipped.increment();
        }
    }

    private void work() {
        while (running) {
            try {
                Batch batch = queue.poll(500, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    observe(batch);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Drift monitoring failed on a batch: {}", e.toString());
            }
        }
    }

    private void observe(Batch batch) {
        String key = batch.model() + "@" + batch.version();
        Watched watched = versions.computeIfAbsent(key, k -> load(batch.model(), batch.version()));
        // a newer version replaces the older ones' states
        for (Iterator<Map.Entry<String, Feature>> it = latest.entrySet().iterator(); it.hasNext();) {
            Feature f = it.next().getValue();
            if (f.model().equals(batch.model()) && f.version() != batch.version()) {
                it.remove();
                versions.remove(f.model() + "@" + f.version());
            }
        }
        track(batch, watched.inputs(), batch.inputs(), "input");
        track(batch, watched.outputs(), batch.outputs(), "output");
    }

    private void track(Batch batch, Map<String, DriftDetector> detectors, float[][] rows, String kind) {
        int column = 0;
        for (Map.Entry<String, DriftDetector> entry : detectors.entrySet()) {
            for (float[] row : rows) {
                if (column >= row.length) {
                    return;
                }
                DriftDetector.State state = entry.getValue().add(row[column]);
                String feature = kind + ":" + entry.getKey();
                if (latest.put(batch.model() + "@" + batch.version() + "/" + feature,
                        new Feature(batch.model(), batch.version(), feature, state)) == null) {
                    meter(batch.model(), feature);
                }
                if (state.changed()) {
                    announce(batch, feature, state);
                }
            }
            column++;
        }
    }

    /** The gauges of a model's value, read from whichever version serves it (added once per model and value). */
    private void meter(String model, String feature) {
        if (meters.has("edgeai.drift.ks", "model", model, "feature", feature)) {
            return;
        }
        meters.gauge("edgeai.drift.ks", "Kolmogorov-Smirnov statistic of the newest window against the training data",
                this, d -> d.state(model, feature).map(DriftDetector.State::ks).orElse(Double.NaN),
                "model", model, "feature", feature);
        meters.gauge("edgeai.drift.psi", "Population Stability Index of the newest window against the training data",
                this, d -> d.state(model, feature).map(DriftDetector.State::psi).orElse(Double.NaN),
                "model", model, "feature", feature);
        meters.gauge("edgeai.drift.drifting", "1 while the value drifts (KS p-value below driftAlpha)", this,
                d -> d.state(model, feature).map(s -> s.drifting() ? 1.0 : 0.0).orElse(0.0),
                "model", model, "feature", feature);
    }

    /** The newest drift state of a model's value, whichever version serves it. */
    private Optional<DriftDetector.State> state(String model, String feature) {
        return latest.values().stream().filter(f -> f.model().equals(model) && f.feature().equals(feature))
                .map(Feature::state).findFirst();
    }

    private void announce(Batch batch, String feature, DriftDetector.State state) {
        LOG.info("Model {} version {}: {} {} (KS {}, p {}, PSI {})", batch.model(), batch.version(), feature,
                state.drifting() ? "drifts" : "no longer drifts", String.format("%.3f", state.ks()),
                String.format("%.2g", state.pValue()), String.format("%.3f", state.psi()));
        EventAdmin admin = events;
        if (admin != null) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put(EdgeAiEvents.PROP_MODEL, batch.model());
            properties.put(EdgeAiEvents.PROP_VERSION, batch.version());
            properties.put("feature", feature);
            properties.put("drifting", state.drifting());
            properties.put("ks", state.ks());
            properties.put("pValue", state.pValue());
            properties.put("psi", state.psi());
            properties.put("samples", state.samples());
            admin.postEvent(new Event(EdgeAiEvents.DRIFT_DETECTED, properties));
        }
    }

    /** The version's detectors from its reference.json; none when it has none (or it cannot be read). */
    private Watched load(String model, int version) {
        ModelRegistry models = registry;
        Optional<Path> folder = models == null ? Optional.empty() : models.directory(model, version);
        Path file = folder.map(f -> f.resolve("reference.json")).orElse(null);
        if (file == null || !Files.isRegularFile(file)) {
            return new Watched(Map.of(), Map.of());
        }
        try {
            JsonNode reference = JSON.readTree(file.toFile());
            return new Watched(detectors(reference.path("inputs")), detectors(reference.path("outputs")));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Model {} version {}: reference.json cannot be used for drift monitoring: {}", model, version,
                    e.getMessage());
            return new Watched(Map.of(), Map.of());
        }
    }

    private Map<String, DriftDetector> detectors(JsonNode columns) {
        Map<String, DriftDetector> detectors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> column = it.next();
            double[] values = new double[column.getValue().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = column.getValue().get(i).asDouble();
            }
            detectors.put(column.getKey(), new DriftDetector(values, config.driftWindow(), config.driftAlpha(),
                    config.driftStride()));
        }
        return detectors;
    }
}
