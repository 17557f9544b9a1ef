package io.edgeai.api.model;

import java.time.Instant;

/**
 * A staged rollout of one version of a model: where it stands, how the version compares with the active one, and,
 * once it ended, how and why.
 *
 * @param model the model
 * @param version the version rolled out
 * @param from the version that was active when it began
 * @param state {@code SHADOW} or {@code CANARY} while it runs; {@code COMPLETED} (the version is active),
 *     {@code ROLLED_BACK} (a guard rail was breached) or {@code STOPPED} (by an operator, or by another version's
 *     promotion)
 * @param reason why it ended, when it did not complete (the breached guard rail with its figures); else empty
 * @param started when it began
 * @param stageStarted when its current (or last) stage began
 * @param updated when it last changed state
 * @param policy the policy it follows
 * @param figures the comparison of the current (or last) stage; null before the first
 * @param labels live accuracy of the trial version and the active version since the canary began, when labels came;
 *     else null
 */
public record Rollout(String model, int version, int from, State state, String reason, Instant started,
        Instant stageStarted, Instant updated, RolloutPolicy policy, TrialFigures figures, LabelFigures labels) {

    /** Where a rollout stands. */
    public enum State {
        SHADOW, CANARY, COMPLETED, ROLLED_BACK, STOPPED;

        /** Whether the rollout still runs. */
        public boolean running() {
            return this == SHADOW || this == CANARY;
        }
    }

    /**
     * Live accuracy of both versions over the labels joined since the canary began.
     *
     * @param candidateLabels labels joined with the trial version's answers
     * @param candidateScore its accuracy (classifiers) or mean absolute error (regressors)
     * @param activeLabels labels joined with the active version's answers
     * @param activeScore its accuracy or mean absolute error
     * @param classifier whether the scores are accuracies (higher is better) rather than errors
     */
    public record LabelFigures(long candidateLabels, double candidateScore, long activeLabels, double activeScore,
            boolean classifier) {
    }
}
