package io.edgeai.api.inference;

/** A request the inference service could not answer, with a reason each connector maps to its protocol. */
public class InferenceException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a request failed. */
    public enum Reason {
        /** No such model, or no active version. */
        UNKNOWN_MODEL,
        /** Inputs do not match the model's input shape. */
        BAD_INPUT,
        /** The model's queue is full; retry later. */
        OVERLOADED,
        /** The engine failed while computing. */
        FAILED
    }

    private final Reason reason;
    private final io.edgeai.api.reading.RejectReason refusal;
    private final int retryAfterSeconds;

    /** The model's queue is full: the sender should wait {@code retryAfterSeconds} before trying again. */
    public static InferenceException overloaded(String message, int retryAfterSeconds) {
        return new InferenceException(Reason.OVERLOADED, message, null, null, retryAfterSeconds);
    }

    private InferenceException(Reason reason, String message, Throwable cause,
            io.edgeai.api.reading.RejectReason refusal, int retryAfterSeconds) {
        super(message, cause);
        this.reason = reason;
        this.refusal = refusal;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public InferenceException(Reason reason, String message) {
        this(reason, message, null, null, 0);
    }

    /** Bad input refused by the model's own preprocessing pipeline, with the pipeline's reason. */
    public InferenceException(io.edgeai.api.reading.RejectReason refusal, String message) {
        this(Reason.BAD_INPUT, message, null, refusal, 0);
    }

    public InferenceException(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, null, 0);
    }

    public Reason reason() {
        return reason;
    }

    /** For bad input: the reading's reject reason (e.g. out_of_range from the model's pipeline), or null. */
    public io.edgeai.api.reading.RejectReason refusal() {
        return refusal;
    }

    /**
     * The refusal as every entry point answers it: an unknown model or version is {@code UNKNOWN_RESOURCE}, bad input
     * the pipeline's reason (else {@code badInput}: {@code MALFORMED} for a request's rows, {@code MISSING_FIELD} for
     * a reading that lacks what the model takes), a full queue {@code OVERLOADED}; null for a failure of the engine,
     * which is the gateway's error (500), not the sender's.
     */
    public io.edgeai.api.reading.RejectReason rejectReason(io.edgeai.api.reading.RejectReason badInput) {
        return switch (reason) {
            case UNKNOWN_MODEL -> io.edgeai.api.reading.RejectReason.UNKNOWN_RESOURCE;
            case BAD_INPUT -> refusal != null ? refusal : badInput;
            case OVERLOADED -> io.edgeai.api.reading.RejectReason.OVERLOADED;
            default -> null;
        };
    }

    /** For {@link Reason#OVERLOADED}: seconds the sender should wait (HTTP Retry-After, CoAP Max-Age); else 0. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
