package io.edgeai.api.reading;

/** Thrown when a payload cannot become a {@link Reading}; carries the reason and a message fit for the device. */
public class ReadingRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;
    private final int retryAfterSeconds;

    public ReadingRejectedException(RejectReason reason, String message) {
        this(reason, message, 0);
    }

    /** A refusal that passes: {@link RejectReason#OVERLOADED}, to be tried again after {@code retryAfterSeconds}. */
    public ReadingRejectedException(RejectReason reason, String message, int retryAfterSeconds) {
        super(message);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public RejectReason reason() {
        return reason;
    }

    /** Seconds the sender should wait before trying again (overloaded), or 0. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
