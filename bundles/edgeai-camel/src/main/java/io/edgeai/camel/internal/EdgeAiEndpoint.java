package io.edgeai.camel.internal;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * The gateway's stages in a route: preprocess a reading, ask a model, collect training rows, ask the anomaly watch,
 * or hear what happens to a model. The stage behind each endpoint is an OSGi service found when each message passes,
 * so a stage's bundle can be updated while routes keep their endpoints.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "edgeai", title = "Edge AI Gateway", syntax = "edgeai:stage/name",
        category = {Category.AI, Category.IOT}, headersClass = EdgeAiComponentHeaders.class, remote = false)
public class EdgeAiEndpoint extends DefaultEndpoint {

    @UriPath(enums = "preprocess,infer,train,anomaly,monitor,results", description = "The stage: preprocess (a reading through"
            + " the pipeline called name: the body becomes the list of Features it made), infer (the active version of"
            + " the model called name answers: the body becomes the Prediction), train (collects rows and submits a"
            + " training job for a new version of the model called name), anomaly (the anomaly watch's verdict on the"
            + " device's stream: the body becomes the AnomalyVerdict; no name), monitor (consumer: events about the"
            + " model called name, or for every model when the name is a star), results (consumer: every result the"
            + " gateway answers a device with, beside the default route; of one device when a name is given)")
    @Metadata(required = true)
    private String stage;

    @UriPath(description = "The pipeline (preprocess) or the model (infer, train, monitor; a star for every model) the"
            + " stage works on, or the device (results; none or a star for every device); letters, digits, '.', '_'"
            + " and '-'")
    private String name;

    @UriParam(label = "producer", defaultValue = "false", description = "preprocess, infer, anomaly: when the"
            + " pipeline, the model or the watch is not there, the body passes unchanged instead of failing the"
            + " exchange")
    private boolean optional;

    @UriParam(label = "producer", description = "infer: the pipeline (by name) a reading goes through when the"
            + " answering version carries no pipeline of its own; a version with its own pipeline runs only that one."
            + " When no version serves and optional is true, the reading still goes through this pipeline, as"
            + " edgeai:preprocess would")
    private String pipeline;

    @UriParam(label = "producer", defaultValue = "false", description = "infer: rows (a float array or an array of"
            + " them) are the model's own inputs as they are, also for a version that carries a pipeline")
    private boolean skipPipeline;

    @UriParam(label = "producer", defaultValue = "false", description = "infer: also say why the model answered as it"
            + " did: header EdgeAiExplanations carries each answered row's per-input attributions (integrated gradients"
            + " for models the gateway trains, occlusion for TorchScript), computed beside the model's queue")
    private boolean explain;

    @UriParam(label = "producer", description = "train: the training spec file (JSON, as POST"
            + " /api/v1/training-jobs takes it, without data), relative to the gateway's home; read when a job is"
            + " submitted, so edits apply")
    private String spec;

    @UriParam(label = "producer", defaultValue = "1000", description = "train: how many rows are collected before a"
            + " job is submitted (at least 2); header EdgeAiTrainNow=true submits what is there")
    private int rows = 1000;

    @UriParam(label = "producer", description = "train: the features (comma-separated) that are the targets; the"
            + " others are the inputs. Without it there are none (an autoencoder)")
    private String targets;

    @UriParam(label = "consumer", defaultValue = "drift,retrain",
            description = "monitor: the kinds of events (comma-separated): drift (an input or output starts or stops"
            + " drifting), retrain (retraining started because of drift), model (versions registered, promoted,"
            + " rolled back, deleted), training (jobs finished)")
    private String events = "drift,retrain";

    @UriParam(label = "consumer", defaultValue = "1000", description = "results: how many results may wait for the"
            + " route; beyond, a result is dropped for this route (counted, logged once a minute), never holding up a"
            + " device's answer")
    private int queueSize = 1000;

    private Stage handler;

    public EdgeAiEndpoint() {
    }

    EdgeAiEndpoint(String uri, EdgeAiComponent component) {
        super(uri, component);
    }

    @Override
    public EdgeAiComponent getComponent() {
        return (EdgeAiComponent) super.getComponent();
    }

    /** The stage's handler, made once the options are set (a wrong option fails the endpoint's creation). */
    Stage handler() {
        return handler;
    }

    void bind(Stage stage) {
        this.handler = stage;
    }

    @Override
    public Producer createProducer() throws Exception {
        return handler.producer();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = handler.consumer(processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getStage() {
        return stage;
    }

    public void setStage(String stage) {
        this.stage = stage;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public boolean isOptional() {
        return optional;
    }

    public void setOptional(boolean optional) {
        this.optional = optional;
    }

    public String getPipeline() {
        return pipeline;
    }

    public void setPipeline(String pipeline) {
        this.pipeline = pipeline;
    }

    public boolean isSkipPipeline() {
        return skipPipeline;
    }

    public void setSkipPipeline(boolean skipPipeline) {
        this.skipPipeline = skipPipeline;
    }

    public boolean isExplain() {
        return explain;
    }

    public void setExplain(boolean explain) {
        this.explain = explain;
    }

    public String getSpec() {
        return spec;
    }

    public void setSpec(String spec) {
        this.spec = spec;
    }

    public int getRows() {
        return rows;
    }

    public void setRows(int rows) {
        this.rows = rows;
    }

    public String getTargets() {
        return targets;
    }

    public void setTargets(String targets) {
        this.targets = targets;
    }

    public int getQueueSize() {
        return queueSize;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public String getEvents() {
        return events;
    }

    public void setEvents(String events) {
        this.events = events;
    }
}
