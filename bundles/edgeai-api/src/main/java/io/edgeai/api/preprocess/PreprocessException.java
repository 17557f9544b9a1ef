package io.edgeai.api.preprocess;

import io.edgeai.api.reading.RejectReason;

/** A reading a pipeline refused, with the reason and the step that refused it. */
public class PreprocessException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;
    private final String step;

    public PreprocessException(RejectReason reason, String step, String message) {
        super(message);
        this.reason = reason;
        this.step = step;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The name of the step that refused the reading. */
    public String step() {
        return step;
    }
}
