package io.edgeai.training.internal;

/** A training spec that cannot run; the message names the field and what it may be. */
final class InvalidSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidSpecException(String message) {
        super(message);
    }
}
