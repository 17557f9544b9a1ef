package io.edgeai.api.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Federated training (McMahan et al. 2017, FedAvg; Li et al. 2020, FedProx) as the gateway's training service does its
 * part: a participant trains on its own data and gives only parameters and a sample count; an aggregator averages
 * them and turns the average into a model archive. The spec is a training spec ({@link TrainingService#submit}) whose
 * {@code data} each participant reads from its own gateway; a federated spec takes no pipeline.
 */
@ProviderType
public interface FederatedTraining {

    /**
     * One participant's round: the spec's architecture trained on this gateway's data for the spec's epochs (all rows,
     * no early stopping unless the spec asks), from {@code global} (parameters as {@link LocalUpdate#parameters()};
     * null: fresh, from the spec's seed), with the proximal term {@code mu} (0: FedAvg). Runs on the training
     * executor, beside jobs; completes with the update, or exceptionally with the reason (a bad spec:
     * IllegalArgumentException; a full queue: IllegalStateException; past {@code deadline}, when it stops between
     * two batches: CancellationException).
     */
    CompletionStage<LocalUpdate> trainLocally(Map<String, Object> spec, byte[] global, double mu,
            java.time.Instant deadline);

    /** The sample-weighted average of updates of one architecture (FedAvg's server step). */
    LocalUpdate average(Map<String, Object> spec, List<LocalUpdate> updates);

    /**
     * Writes a model archive of the parameters into {@code folder}, as a training job writes one ({@code model.json}
     * with the metrics and lineage given, the parameters, the device format), unsigned; returns its path.
     */
    Path export(Map<String, Object> spec, LocalUpdate global, Map<String, Double> metrics, Map<String, Object> lineage,
            Path folder);

    /**
     * What a participant gives: parameters (the training block's, in DJL's format) and counts; never a row.
     *
     * @param samples rows trained on (the weight in the average)
     * @param inputs the number of inputs, and {@code outputs} of outputs, the architecture was built for
     * @param loss the mean training loss of the last epoch (of the average: the sample-weighted mean)
     * @param inputNames the inputs' names, in order
     */
    record LocalUpdate(byte[] parameters, long samples, int inputs, int outputs, double loss,
            List<String> inputNames) {
    }
}
