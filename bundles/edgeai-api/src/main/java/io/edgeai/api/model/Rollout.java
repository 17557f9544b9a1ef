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
 * @param passed the final figures of each stage it passed, in order (the shadow's, when it went on to canary)
 */
public record Rollout(String model, int version, int from, State state, String reason, Instant started,
        Instant stageStarted, Instant updated, RolloutPolicy policy, TrialFigures figures, LabelFigures labels,
        java.util.List<TrialFigures> passed) {

    public Rollout {
        passed = passed == null ? java.util.List.of() : java.util.List.copyOf(passed);
    }

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

    /**
     * The rollout by name, as the models API answers it and {@code rollout.json} holds it: {@code model, version,
     * from, state, reason, started, stageStarted, updated, policy{...}}, {@code figures{stage, requests, compared,
     * candidateErrors, activeErrors, errorRate, skipped, candidateP99Millis, activeP99Millis, outputDrift,
     * outputBias}} once measured, {@code passed} (the same for each stage passed), {@code labels{measure (accuracy or mae), candidateLabels, candidate, activeLabels,
     * active}} once labels came; a figure not measured (NaN) is null.
     */
    public java.util.Map<String, Object> asMap() {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("model", model);
        map.put("version", version);
        map.put("from", from);
        map.put("state", state.name());
        map.put("reason", reason);
        map.put("started", started.toString());
        map.put("stageStarted", stageStarted.toString());
        map.put("updated", updated.toString());
        map.put("policy", policy.asMap());
        if (figures != null) {
            map.put("figures", figures(figures));
        }
        map.put("passed", passed.stream().map(Rollout::figures).toList());
        if (labels != null) {
            java.util.Map<String, Object> l = new java.util.LinkedHashMap<>();
            l.put("measure", labels.classifier() ? "accuracy" : "mae");
            l.put("candidateLabels", labels.candidateLabels());
            l.put("candidate", finite(labels.candidateScore()));
            l.put("activeLabels", labels.activeLabels());
            l.put("active", finite(labels.activeScore()));
            map.put("labels", l);
        }
        return map;
    }

    private static java.util.Map<String, Object> figures(TrialFigures figures) {
        java.util.Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put("stage", figures.stage().name());
        f.put("requests", figures.requests());
        f.put("compared", figures.compared());
        f.put("candidateErrors", figures.candidateErrors());
        f.put("activeErrors", figures.activeErrors());
        f.put("errorRate", figures.errorRate());
        f.put("skipped", figures.skipped());
        f.put("candidateP99Millis", finite(figures.candidateP99Millis()));
        f.put("activeP99Millis", finite(figures.activeP99Millis()));
        f.put("outputDrift", finite(figures.outputDrift()));
        f.put("outputBias", finite(figures.outputBias()));
        return f;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
