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

    public InferenceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public InferenceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
