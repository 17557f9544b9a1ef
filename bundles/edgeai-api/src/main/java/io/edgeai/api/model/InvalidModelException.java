package io.edgeai.api.model;

/** A model archive or a registry operation that was refused; the message says why and nothing was changed. */
public class InvalidModelException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
