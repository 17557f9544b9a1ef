package io.edgeai.api.monitoring;

/** EventAdmin topics on which the gateway announces what happened, and the property names of those events. */
public final class EdgeAiEvents {

    /** Prefix of every topic; subscribe to {@code io/edgeai/*} for all of them. */
    public static final String TOPIC_ROOT = "io/edgeai/";

    public static final String ENGINE_STATE = TOPIC_ROOT + "engine/STATE";
    public static final String ROUTE_FILE = TOPIC_ROOT + "routes/FILE";
    public static final String MODEL_REGISTERED = TOPIC_ROOT + "model/REGISTERED";
    public static final String MODEL_PROMOTED = TOPIC_ROOT + "model/PROMOTED";
    public static final String MODEL_ROLLED_BACK = TOPIC_ROOT + "model/ROLLED_BACK";
    public static final String MODEL_DELETED = TOPIC_ROOT + "model/DELETED";
    /**
     * A staged rollout moved ({@code model}, {@code version}, {@code state}: SHADOW, CANARY, COMPLETED, ROLLED_BACK or
     * STOPPED, {@code reason} when it ended otherwise than by completing).
     */
    public static final String MODEL_ROLLOUT = TOPIC_ROOT + "model/ROLLOUT";
    public static final String JOB_PROGRESS = TOPIC_ROOT + "training/PROGRESS";
    public static final String JOB_FINISHED = TOPIC_ROOT + "training/FINISHED";
    public static final String DRIFT_DETECTED = TOPIC_ROOT + "monitoring/DRIFT";
    /** A retraining job submitted because a model drifts ({@code model}, {@code version}, {@code feature}, {@code job}). */
    public static final String RETRAIN_STARTED = TOPIC_ROOT + "monitoring/RETRAIN";

    public static final String PROP_MODEL = "model";
    public static final String PROP_VERSION = "version";
    public static final String PROP_STATE = "state";
    public static final String PROP_REASON = "reason";
    public static final String PROP_FILE = "file";
    public static final String PROP_JOB = "job";

    private EdgeAiEvents() {
    }
}
