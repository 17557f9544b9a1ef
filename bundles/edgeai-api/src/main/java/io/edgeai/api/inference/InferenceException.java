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

    public InferenceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
        this.refusal = null;
    }

    /** Bad input refused by the model's own preprocessing pipeline, with the pipeline's reason. */
    public InferenceException(io.edgeai.api.reading.RejectReason refusal, String message) {
        super(message);
        this.reason = Reason.BAD_INPUT;
        this.refusal = refusal;
    }

    public InferenceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.refusal = null;
    }

    public Reason reason() {
        return reason;
    }

    /** For bad input: the reading's reject reason (e.g. out_of_range from the model's pipeline), or null. */
    public io.edgeai.api.reading.RejectReason refusal() {
        return refusal;
    }
}
