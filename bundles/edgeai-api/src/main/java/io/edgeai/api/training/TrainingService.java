package io.edgeai.api.training;

import java.util.List;
import java.util.Optional;

/** Trains models on the gateway without hurting live inference. Progress is announced as events. */
public interface TrainingService {

    /** Queues a job; the spec is checked first and refused with {@link IllegalArgumentException} when wrong. */
    TrainingJob submit(TrainingSpec spec);

    Optional<TrainingJob> job(String id);

    List<TrainingJob> jobs();

    /** Cancels a queued or running job; false when it already ended or is unknown. */
    boolean cancel(String id);
}
