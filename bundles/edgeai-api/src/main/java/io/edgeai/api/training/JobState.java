package io.edgeai.api.training;

/** Life of a training job. */
public enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** The gateway stopped while the job ran; it is not resumed. */
    INTERRUPTED;

    /** Whether the job will not change any more. */
    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }
}
