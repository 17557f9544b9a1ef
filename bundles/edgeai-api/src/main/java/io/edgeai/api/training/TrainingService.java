package io.edgeai.api.training;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs training jobs. A spec is the JSON object of {@code POST /api/v1/training-jobs} as a map (see docs/training.md):
 * {@code architecture}, {@code loss}, {@code optimizer}, {@code schedule}, {@code epochs}, {@code batchSize},
 * {@code validationSplit}, {@code earlyStopping}, {@code seed}, {@code data}, {@code autoPromote}.
 */
@ProviderType
public interface TrainingService {

    /**
     * Checks the spec and queues a job that trains a new version of {@code model}.
     *
     * @throws IllegalArgumentException when the spec cannot run; the message names the field and what it may be
     * @throws IllegalStateException when the job queue is full (try later)
     */
    TrainingJob submit(String model, Map<String, Object> spec);

    /** Every job this gateway knows, newest first (finished ones are kept, up to a configured number). */
    List<TrainingJob> jobs();

    Optional<TrainingJob> job(String id);

    /**
     * Cancels a queued or running job (a running one stops between two batches).
     *
     * @return false when there is no such job or it has already finished
     */
    boolean cancel(String id);
}
