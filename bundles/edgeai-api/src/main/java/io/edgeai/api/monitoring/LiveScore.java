package io.edgeai.api.monitoring;

/**
 * What the labels joined so far say of one model version: running totals (subtract an earlier score for a period).
 *
 * @param regressed labels of a regressor joined
 * @param absoluteError the sum of their absolute errors
 * @param classified labels of a classifier joined
 * @param correct of those, the ones equal to the most probable class
 */
public record LiveScore(long regressed, double absoluteError, long classified, long correct) {

    /** No label yet. */
    public static final LiveScore NONE = new LiveScore(0, 0, 0, 0);

    /** The labels joined since {@code earlier}. */
    public LiveScore since(LiveScore earlier) {
        return new LiveScore(regressed - earlier.regressed, absoluteError - earlier.absoluteError,
                classified - earlier.classified, correct - earlier.correct);
    }
}
