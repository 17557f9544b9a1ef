package io.edgeai.api.model;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: what runs models (the inference service). The registry asks it to try every new archive, and to load
 * a version beside the one serving before it makes the version active, so that a promotion that fails changes
 * nothing and one that succeeds switches between two requests.
 */
@ConsumerType
public interface ModelHost {

    /**
     * Tries a version: loads it, runs a forward pass on a batch of zeros, checks the output's shape against the spec,
     * and unloads it.
     *
     * @param directory the unpacked archive
     * @throws InvalidModelException saying what failed
     */
    void check(ModelVersion version, Path directory) throws InvalidModelException;

    /**
     * Loads and warms a version beside the one serving its model; it takes no traffic until {@link Activation#commit}.
     *
     * @throws InvalidModelException when it cannot be loaded; nothing changed
     */
    Activation prepare(ModelVersion version, Path directory) throws InvalidModelException;

    /** Stops serving a model (its last version was deleted), after the requests in flight. */
    void remove(String model);

    /** A version loaded and warm, waiting to take over. */
    interface Activation {

        /** Switches the model's traffic to the version; the previous version finishes its requests and is closed. */
        void commit();

        /** Drops the loaded version (after the requests it took); the one serving stays. */
        void abort();

        /**
         * Puts the loaded version on trial beside the serving one, or moves it to another stage: as a shadow (a copy
         * of every request, never answered) or as the canary of a share of the devices (stable per device, the serving
         * version computing the same requests and answering whenever the canary fails). The figures start again.
         *
         * @param share the share of devices the canary answers (0 to 1); ignored for a shadow
         * @throws UnsupportedOperationException when the host cannot run trials
         */
        default void trial(RolloutStage stage, double share) {
            throw new UnsupportedOperationException("this model host runs no trials");
        }

        /** The trial's comparison since its stage began; null when the version is not on trial. */
        default TrialFigures figures() {
            return null;
        }
    }
}
