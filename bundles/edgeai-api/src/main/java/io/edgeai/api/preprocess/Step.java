package io.edgeai.api.preprocess;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One step of a pipeline, made by a {@link StepFactory} from its definition. A step that learns from data (a scaler,
 * say) sees the training samples in {@link #fit}, is then {@link #freeze frozen}, and from then on applies exactly
 * what it learned; its learned state travels with the model ({@link #fittedState}, {@link #restore}), so serving
 * applies what training learned, bit for bit.
 */
@ConsumerType
public interface Step {

    /**
     * Processes one sample.
     *
     * @return the samples to pass on: none while the step holds data (a window filling), usually one, or several
     * @throws PreprocessException when the sample is refused; the pipeline counts the reason
     */
    List<Sample> apply(Sample sample) throws PreprocessException;

    /** Learns from one training sample, before {@link #freeze}. Steps that learn nothing ignore it. */
    default void fit(Sample sample) {
    }

    /** Ends learning: parameters are computed and fixed. */
    default void freeze() {
    }

    /**
     * True for steps that learn parameters from data in {@link #fit} (scalers, learned clipping fences): a pipeline
     * holding one must be fitted (in training, or on its first readings) before it serves.
     */
    default boolean learns() {
        return false;
    }

    /** True for steps that only run in training (augmentation). */
    default boolean trainingOnly() {
        return false;
    }

    /** What the step learned, as plain values (numbers, strings, lists, maps) for the model archive. */
    default Map<String, Object> fittedState() {
        return Map.of();
    }

    /** Takes back what {@link #fittedState} gave; the step is frozen afterwards. */
    default void restore(Map<String, Object> state) {
    }
}
