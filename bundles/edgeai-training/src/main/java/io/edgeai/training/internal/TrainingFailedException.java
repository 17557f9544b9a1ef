package io.edgeai.training.internal;

/** A run that cannot go on (the loss is no longer a number); the message says what to change. */
final class TrainingFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TrainingFailedException(String message) {
        super(message);
    }
}
