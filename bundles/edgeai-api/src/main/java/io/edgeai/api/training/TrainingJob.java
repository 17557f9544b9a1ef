package io.edgeai.api.training;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A training job as it stands.
 *
 * @param id the job's id
 * @param model the model it trains a version of
 * @param state where it is
 * @param submitted when it was queued
 * @param started when it began running, or null
 * @param finished when it ended, or null
 * @param epoch epochs done
 * @param epochs epochs asked for
 * @param trainLoss the training loss after each epoch
 * @param validationLoss the validation loss after each epoch (empty without a validation split)
 * @param metrics what the finished job measured (loss, validationLoss, bestEpoch, rows, ...)
 * @param message why it failed or was interrupted, or what it did ("registered version 3")
 * @param version the model version it registered, or 0
 * @param promoted whether that version was promoted (autoPromote)
 * @param spec the spec as submitted
 */
public record TrainingJob(String id, String model, State state, Instant submitted, Instant started, Instant finished,
        int epoch, int epochs, List<Double> trainLoss, List<Double> validationLoss, Map<String, Double> metrics,
        String message, int version, boolean promoted, Map<String, Object> spec) {

    public TrainingJob {
        trainLoss = List.copyOf(trainLoss);
        validationLoss = List.copyOf(validationLoss);
        metrics = Map.copyOf(metrics);
        message = message == null ? "" : message;
        spec = spec == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(spec));
    }

    /** Where a job is. */
    public enum State {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED,
        /** The gateway stopped while the job was queued or running. */
        INTERRUPTED;

        public boolean finished() {
            return this != QUEUED && this != RUNNING;
        }
    }
}
