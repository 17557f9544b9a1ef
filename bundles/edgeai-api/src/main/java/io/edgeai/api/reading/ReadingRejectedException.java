package io.edgeai.api.reading;

/** Thrown when a payload cannot become a {@link Reading}; carries the reason and a message fit for the device. */
public class ReadingRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public ReadingRejectedException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
