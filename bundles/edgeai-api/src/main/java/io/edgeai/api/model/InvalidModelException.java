package io.edgeai.api.model;

/** A model archive or a registry operation that was refused; the message says why and nothing was changed. */
public class InvalidModelException extends Exception {

    private static final long serialVersionUID = 1L;

    private final io.edgeai.api.reading.RejectReason reason;

    public InvalidModelException(String message) {
        this(io.edgeai.api.reading.RejectReason.MALFORMED, message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
        this.reason = io.edgeai.api.reading.RejectReason.MALFORMED;
    }

    /** A refusal with its reason, e.g. {@code UNKNOWN_RESOURCE} for a version that does not exist. */
    public InvalidModelException(io.edgeai.api.reading.RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why, as every protocol maps it: {@code MALFORMED} (a bad archive or request) unless said otherwise. */
    public io.edgeai.api.reading.RejectReason reason() {
        return reason;
    }
}
