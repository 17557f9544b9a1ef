package io.edgeai.camel.internal;

import io.edgeai.api.routes.EdgeAiHeaders;
import org.apache.camel.spi.Metadata;

/**
 * The headers of the {@code edgeai:} component as Camel's tooling documents them (the component's model and page).
 * Routes name them by {@link EdgeAiHeaders}, the API's constants, which these are: each field here is the API's
 * constant, never a copy of its text (EdgeAiComponentHeadersTest checks that every API constant is documented here).
 */
public final class EdgeAiComponentHeaders {

    @Metadata(label = "producer", javaType = "String", description = "The device id (set by every connector).")
    public static final String DEVICE_ID = EdgeAiHeaders.DEVICE_ID;

    @Metadata(label = "producer", javaType = "String", description = "The protocol a reading came over: coap, mqtt"
            + " or http (set by every connector).")
    public static final String PROTOCOL = EdgeAiHeaders.PROTOCOL;

    @Metadata(label = "producer", javaType = "String", description = "Set by a stage that refused the reading (a"
            + " pipeline step, the model's input check, a full queue): the reason's name, e.g. OUT_OF_RANGE,"
            + " MISSING_FIELD, OVERLOADED. The stage also stops the route; the connector answers the device with the"
            + " reason's protocol error (HTTP status, CoAP code, MQTT error topic) and counts it.")
    public static final String REJECT_REASON = EdgeAiHeaders.REJECT_REASON;

    @Metadata(label = "producer", javaType = "String", description = "The refusal's message for the device, naming"
            + " the step and the value.")
    public static final String REJECT_MESSAGE = EdgeAiHeaders.REJECT_MESSAGE;

    @Metadata(label = "producer", javaType = "Integer", description = "Beside an OVERLOADED refusal: seconds the"
            + " device should wait (HTTP Retry-After, CoAP Max-Age).")
    public static final String RETRY_AFTER = EdgeAiHeaders.RETRY_AFTER;

    @Metadata(label = "producer", javaType = "String", description = "Set by preprocess, and by infer when a pipeline"
            + " processed the reading: the pipeline's name (a model version's own pipeline is named"
            + " {model}-v{version}).")
    public static final String PIPELINE = EdgeAiHeaders.PIPELINE;

    @Metadata(label = "producer", javaType = "Long", description = "Beside EdgeAiPipeline: the revision of the"
            + " pipeline's definition that processed the reading.")
    public static final String PIPELINE_REVISION = EdgeAiHeaders.PIPELINE_REVISION;

    @Metadata(label = "producer", javaType = "String", description = "Set by infer and anomaly: the model that"
            + " answered.")
    public static final String MODEL = EdgeAiHeaders.MODEL;

    @Metadata(label = "producer", javaType = "Integer", description = "Set by infer and anomaly: the version that"
            + " answered.")
    public static final String MODEL_VERSION = EdgeAiHeaders.MODEL_VERSION;

    @Metadata(label = "producer", javaType = "Double", description = "Set by infer when the answering version's"
            + " metrics carry a threshold (an anomaly model trained by the gateway).")
    public static final String MODEL_THRESHOLD = EdgeAiHeaders.MODEL_THRESHOLD;

    @Metadata(label = "producer", javaType = "Boolean", description = "Set by anomaly when the reading was scored:"
            + " true while the stream's anomaly episode lasts.")
    public static final String ANOMALY = EdgeAiHeaders.ANOMALY;

    @Metadata(label = "producer", javaType = "Boolean", description = "Set by anomaly when the reading was scored:"
            + " true only on the reading that opened an anomaly episode (one alert per episode).")
    public static final String ANOMALY_ALERT = EdgeAiHeaders.ANOMALY_ALERT;

    @Metadata(label = "producer", javaType = "Double", description = "Set by anomaly when the reading was scored:"
            + " its calibrated score, from 0 to 1 (0.5: as rare as one reading in 10,000 on any stream).")
    public static final String ANOMALY_SCORE = EdgeAiHeaders.ANOMALY_SCORE;

    @Metadata(label = "producer", javaType = "java.util.Map<String, Double>", description = "Set by anomaly (and"
            + " results) on a reading in an anomaly episode: which of its values drove it and by how much (value name"
            + " to rarity in decades, largest first).")
    public static final String ANOMALY_CONTRIBUTIONS = EdgeAiHeaders.ANOMALY_CONTRIBUTIONS;

    @Metadata(label = "producer", javaType = "String", description = "Beside EdgeAiAnomalyContributions: the value"
            + " that drove the episode most, e.g. to route an alert to the team that owns that sensor.")
    public static final String ANOMALY_CAUSE = EdgeAiHeaders.ANOMALY_CAUSE;

    @Metadata(label = "producer", javaType = "java.util.List<io.edgeai.api.inference.Explanation>", description = "Set"
            + " by infer with explain=true: why the model answered as it did, one explanation per answered row (one"
            + " for a reading): per-input attributions by the model's input names (byInput()), the method, the"
            + " baseline and, for integrated gradients, the completeness error.")
    public static final String EXPLANATIONS = EdgeAiHeaders.EXPLANATIONS;

    @Metadata(label = "producer", javaType = "String", description = "Set by train on the exchange that submitted a"
            + " job: the job's id (GET /api/v1/training-jobs/{id}).")
    public static final String TRAINING_JOB = EdgeAiHeaders.TRAINING_JOB;

    @Metadata(label = "producer", javaType = "Boolean", description = "Read by train: true submits what is collected"
            + " at once (at least 2 rows).")
    public static final String TRAIN_NOW = EdgeAiHeaders.TRAIN_NOW;

    @Metadata(label = "consumer", javaType = "String", description = "Set by monitor: the event's topic, e.g."
            + " io/edgeai/monitoring/DRIFT. Each property of the event is also a header: EdgeAi and its capitalised"
            + " name (EdgeAiModel, EdgeAiVersion, EdgeAiFeature, EdgeAiDrifting).")
    public static final String TOPIC = EdgeAiHeaders.TOPIC;

    private EdgeAiComponentHeaders() {
    }
}
