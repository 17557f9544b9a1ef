package io.edgeai.camel.internal;

import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.anomaly.AnomalyWatch;
import io.edgeai.api.training.TrainingService;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@code edgeai:} Camel component: the gateway's stages as endpoints for routes, {@code edgeai:stage/name}
 * ({@link EdgeAiEndpoint} documents each option; Camel's tooling makes the component's model, {@code edgeai.json},
 * and docs/camel-edgeai-component.md lists it). Each stage is made by its name from {@link #STAGES}:
 * {@code preprocess/{pipeline}} ({@link PreprocessStage}), {@code infer/{model}} ({@link InferStage}),
 * {@code train/{model}} ({@link TrainStage}), {@code anomaly} ({@link AnomalyStage}), {@code monitor/{model}}
 * ({@link MonitorStage}, a consumer). The gateway's services are found when each message passes, so a stage's bundle
 * can be updated while routes keep their endpoints.
 */
@org.apache.camel.spi.annotations.Component(EdgeAiComponent.SCHEME)
public class EdgeAiComponent extends DefaultComponent {

    static final String SCHEME = "edgeai";

    /** Every stage by its name in the URI. */
    static final Map<String, Function<EdgeAiEndpoint, Stage>> STAGES = Map.of(
            "preprocess", PreprocessStage::new,
            "infer", InferStage::new,
            "train", TrainStage::new,
            "anomaly", AnomalyStage::new,
            "monitor", MonitorStage::new,
            "results", ResultsStage::new);

    private final NamedServices<Pipeline> pipelines;
    private final ServiceTracker<ReadingParser, ReadingParser> parsers;
    private final ServiceTracker<InferenceService, InferenceService> inference;
    private final ServiceTracker<ModelRegistry, ModelRegistry> registry;
    private final ServiceTracker<TrainingService, TrainingService> training;
    private final ServiceTracker<AnomalyWatch, AnomalyWatch> anomalyWatch;
    private final BundleContext context;

    /** As Camel makes a component it finds by its scheme: in the bundle that holds it. */
    public EdgeAiComponent() {
        this(org.osgi.framework.FrameworkUtil.getBundle(EdgeAiComponent.class).getBundleContext());
    }

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
        Function<EdgeAiEndpoint, Stage> make = STAGES.get(stage);
        if (make == null) {
            throw new IllegalArgumentException("unknown edgeai: stage '" + stage + "' in " + uri + " (known: "
                    + "preprocess/{pipeline}, infer/{model}, train/{model}, anomaly, monitor/{model}, results[/{device}])");
        }
        EdgeAiEndpoint endpoint = new EdgeAiEndpoint(uri, this);
        endpoint.setStage(stage);
        endpoint.setName(slash < 0 ? "" : remaining.substring(slash + 1));
        setProperties(endpoint, parameters);
        endpoint.bind(make.apply(endpoint));
        return endpoint;
    }

    BundleContext bundleContext() {
        return context;
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
