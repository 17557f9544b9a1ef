package io.edgeai.api.model;

/**
 * How a version on trial compares with the active version on the same requests, since its stage began.
 *
 * @param stage the stage the figures belong to
 * @param requests requests of the model while the trial ran
 * @param compared requests both versions computed
 * @param candidateErrors compared requests the trial version failed and the active version answered
 * @param activeErrors compared requests the active version failed and the trial version answered
 * @param skipped shadow copies not made because the trial version's queue was busy (the active version is never
 *     slowed down for a copy)
 * @param candidateP99Millis the trial version's 99th percentile latency (the newest 2,048 requests), ms
 * @param activeP99Millis the active version's, on the same requests, ms
 * @param outputDrift the mean absolute difference of the two versions' outputs on the same inputs, in units of the
 *     active version's output standard deviation; NaN before a comparison or when the outputs' shapes differ
 * @param outputBias the mean of (trial - active), in the same units: its sign says which way a biased version leans
 */
public record TrialFigures(RolloutStage stage, long requests, long compared, long candidateErrors,
        long activeErrors, long skipped, double candidateP99Millis, double activeP99Millis, double outputDrift,
        double outputBias) {

    /** The trial version's error rate over the compared requests (0 before any). */
    public double errorRate() {
        return compared == 0 ? 0 : (double) candidateErrors / compared;
    }
}
