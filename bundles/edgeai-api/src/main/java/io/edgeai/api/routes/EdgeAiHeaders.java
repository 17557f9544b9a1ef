package io.edgeai.api.routes;

/**
 * Every Camel header and exchange property the gateway's routes and {@code edgeai:} endpoints read or set, in one
 * place: integrators and the gateway's own bundles name them by these constants, never by copies of the text.
 */
public final class EdgeAiHeaders {

    /** The device id (set by every connector). */
    public static final String DEVICE_ID = "EdgeAiDeviceId";

    /** The protocol a reading came over: {@code coap}, {@code mqtt}, {@code http}. */
    public static final String PROTOCOL = "EdgeAiProtocol";

    /**
     * Set by a stage that refused the reading (a pipeline step, the model's input check, a full queue): the
     * {@code RejectReason}'s name. The stage also stops the route; the connector answers with the reason's protocol
     * error and counts it.
     */
    public static final String REJECT_REASON = "EdgeAiRejectReason";

    /** The refusal's message for the device, naming the step and the value. */
    public static final String REJECT_MESSAGE = "EdgeAiRejectMessage";

    /** Beside an {@code OVERLOADED} refusal: seconds the device should wait (Retry-After, Max-Age). */
    public static final String RETRY_AFTER = "EdgeAiRetryAfter";

    /** Set by {@code edgeai:preprocess}: the pipeline's name. */
    public static final String PIPELINE = "EdgeAiPipeline";

    /** Set by {@code edgeai:preprocess}: the pipeline revision that processed the reading. */
    public static final String PIPELINE_REVISION = "EdgeAiPipelineRevision";

    /** Set by {@code edgeai:infer}: the model that answered. */
    public static final String MODEL = "EdgeAiModel";

    /** Set by {@code edgeai:infer}: the version that answered. */
    public static final String MODEL_VERSION = "EdgeAiModelVersion";

    /** Set by {@code edgeai:infer} when the answering version's metrics carry a {@code threshold}. */
    public static final String MODEL_THRESHOLD = "EdgeAiModelThreshold";

    /** Set by {@code edgeai:anomaly} on a scored reading: true while the stream's anomaly episode lasts. */
    public static final String ANOMALY = "EdgeAiAnomaly";

    /**
     * Set by the anomaly watch's stage on a scored reading: true only on the reading that opened an anomaly episode
     * (one alert per episode; {@link #ANOMALY} stays true while the episode lasts).
     */
    public static final String ANOMALY_ALERT = "EdgeAiAnomalyAlert";

    /** Set by the anomaly watch's stage on a scored reading: its calibrated score in [0, 1] (a Double). */
    public static final String ANOMALY_SCORE = "EdgeAiAnomalyScore";

    /**
     * Set by the anomaly watch's stage (and {@code edgeai:results}) on a reading in an episode: which of its values
     * drove it and by how much (a {@code Map<String, Double>} of value name to rarity in decades, largest first).
     */
    public static final String ANOMALY_CONTRIBUTIONS = "EdgeAiAnomalyContributions";

    /** Beside {@link #ANOMALY_CONTRIBUTIONS}: the name of the value that contributed most (a String). */
    public static final String ANOMALY_CAUSE = "EdgeAiAnomalyCause";

    /**
     * Set by {@code edgeai:infer?explain=true}: why the model answered as it did, a {@code
     * List<io.edgeai.api.inference.Explanation>}, one per answered row (one for a reading or a feature vector).
     */
    public static final String EXPLANATIONS = "EdgeAiExplanations";

    /** Set by {@code edgeai:train} on the exchange that submitted a job: the job's id. */
    public static final String TRAINING_JOB = "EdgeAiTrainingJob";

    /** Read by {@code edgeai:train}: true submits what is collected at once. */
    public static final String TRAIN_NOW = "EdgeAiTrainNow";

    /** Set by {@code edgeai:monitor}: the event's topic; each event property becomes {@code EdgeAi<Property>}. */
    public static final String TOPIC = "EdgeAiTopic";

    /** The prefix of the headers {@code edgeai:monitor} makes of an event's properties. */
    public static final String PREFIX = "EdgeAi";

    /** Exchange property: the reading as the connector handed it on, kept when a stage replaces the body. */
    public static final String PROPERTY_READING = "EdgeAiReading";

    /** Exchange property of the default route: the feature vectors the pipeline made of the reading. */
    public static final String PROPERTY_FEATURES = "EdgeAiFeatures";

    private EdgeAiHeaders() {
    }
}
