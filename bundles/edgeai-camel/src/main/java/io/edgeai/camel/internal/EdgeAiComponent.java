package io.edgeai.camel.internal;

import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.training.AnomalyWatch;
import io.edgeai.api.training.TrainingService;
import java.util.List;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@code edgeai:} Camel component: the gateway's stages as endpoints for routes. {@code edgeai:preprocess/{name}}
 * runs a reading through the pipeline of that name ({@link PreprocessEndpoint}); {@code edgeai:infer/{model}} asks a
 * model's active version ({@link InferEndpoint}); {@code edgeai:train/{model}} collects rows and submits training jobs
 * ({@link TrainEndpoint}); {@code edgeai:anomaly} asks the anomaly watch ({@link AnomalyEndpoint});
 * {@code from("edgeai:monitor/{model}")} hears what is announced about a model, its drift first
 * ({@link MonitorEndpoint}). The stages are
 * OSGi services found when each message passes, so a stage's bundle can be updated while routes keep their endpoints.
 */
final class EdgeAiComponent extends DefaultComponent {

    static final String SCHEME = "edgeai";

    private final NamedServices<Pipeline> pipelines;
    private final ServiceTracker<ReadingParser, ReadingParser> parsers;
    private final ServiceTracker<InferenceService, InferenceService> inference;
    private final ServiceTracker<ModelRegistry, ModelRegistry> registry;
    private final ServiceTracker<TrainingService, TrainingService> training;
    private final ServiceTracker<AnomalyWatch, AnomalyWatch> anomalyWatch;
    private final BundleContext context;

    EdgeAiComponent(BundleContext context) {
        this.context = context;
        this.pipelines = new NamedServices<>(context, Pipeline.class, Pipeline.NAME_PROPERTY);
        this.parsers = new ServiceTracker<>(context, ReadingParser.class, null);
        this.inference = new ServiceTracker<>(context, InferenceService.class, null);
        this.registry = new ServiceTracker<>(context, ModelRegistry.class, null);
        this.training = new ServiceTracker<>(context, TrainingService.class, null);
        this.anomalyWatch = new ServiceTracker<>(context, AnomalyWatch.class, null);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int slash = remaining.indexOf('/');
        String stage = slash < 0 ? remaining : remaining.substring(0, slash);
        String name = slash < 0 ? "" : remaining.substring(slash + 1);
        if ("anomaly".equals(stage) && name.isEmpty()) {
            return new AnomalyEndpoint(uri, this, getAndRemoveParameter(parameters, "optional", Boolean.class,
                    Boolean.FALSE));
        }
        if ("monitor".equals(stage)) {
            return monitor(uri, name, getAndRemoveParameter(parameters, "events", String.class, "drift,retrain"));
        }
        if (!"preprocess".equals(stage) && !"infer".equals(stage) && !"train".equals(stage)) {
            throw new IllegalArgumentException("unknown edgeai: stage '" + stage + "' in " + uri
                    + " (known: preprocess/{pipeline}, infer/{model}, train/{model}, anomaly, monitor/{model})");
        }
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(uri + ": name the " + ("preprocess".equals(stage) ? "pipeline" : "model")
                    + ", as in edgeai:" + stage + "/default");
        }
        if ("train".equals(stage)) {
            String spec = getAndRemoveParameter(parameters, "spec", String.class);
            if (spec == null || spec.isBlank()) {
                throw new IllegalArgumentException(uri + ": name the training spec, as in edgeai:train/" + name
                        + "?spec=etc/train-" + name + ".json&rows=1000");
            }
            int rows = getAndRemoveParameter(parameters, "rows", Integer.class, 1000);
            if (rows < 2) {
                throw new IllegalArgumentException(uri + ": rows=" + rows + " (at least 2)");
            }
            String targets = getAndRemoveParameter(parameters, "targets", String.class, "");
            return new TrainEndpoint(uri, this, name, spec, rows, targets.isBlank() ? List.of()
                    : java.util.Arrays.stream(targets.split(",")).map(String::trim).toList());
        }
        boolean optional = getAndRemoveParameter(parameters, "optional", Boolean.class, Boolean.FALSE);
        if ("infer".equals(stage)) {
            return new InferEndpoint(uri, this, name, optional, getAndRemoveParameter(parameters, "skipPipeline",
                    Boolean.class, Boolean.FALSE));
        }
        return new PreprocessEndpoint(uri, this, name, optional);
    }

    private Endpoint monitor(String uri, String model, String events) {
        if (!model.equals("*") && !model.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(uri + ": name the model, as in edgeai:monitor/flow (or * for every"
                    + " model)");
        }
        List<String> topics = new java.util.ArrayList<>();
        for (String kind : events.split(",")) {
            List<String> known = MonitorEndpoint.KINDS.get(kind.trim());
            if (known == null) {
                throw new IllegalArgumentException(uri + ": events=" + kind.trim() + " is not one of "
                        + new java.util.TreeSet<>(MonitorEndpoint.KINDS.keySet()));
            }
            topics.addAll(known);
        }
        return new MonitorEndpoint(uri, this, context, model, topics);
    }

    Pipeline pipeline(String name) {
        return pipelines.get(name);
    }

    ReadingParser parser() {
        return parsers.getService();
    }

    InferenceService inference() {
        return inference.getService();
    }

    ModelRegistry registry() {
        return registry.getService();
    }

    TrainingService training() {
        return training.getService();
    }

    AnomalyWatch anomalyWatch() {
        return anomalyWatch.getService();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        pipelines.open();
        parsers.open();
        inference.open();
        registry.open();
        training.open();
        anomalyWatch.open();
    }

    @Override
    protected void doStop() throws Exception {
        registry.close();
        training.close();
        anomalyWatch.close();
        inference.close();
        parsers.close();
        pipelines.close();
        super.doStop();
    }
}
