package io.edgeai.api.training;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a training job.
 *
 * @param id the job id
 * @param spec what it trains
 * @param state where it stands
 * @param epoch the last finished epoch
 * @param lossHistory training loss per finished epoch
 * @param metrics validation metrics of the last epoch
 * @param submitted when it was submitted
 * @param reason why it failed or was interrupted; empty otherwise
 * @param resultVersion the model version it registered, or {@code null}
 */
public record TrainingJob(
        String id, TrainingSpec spec, JobState state, int epoch, List<Double> lossHistory, Map<String, Double> metrics,
        Instant submitted, String reason, Integer resultVersion) {

    public TrainingJob {
        lossHistory = List.copyOf(lossHistory);
        metrics = Map.copyOf(metrics);
    }
}
