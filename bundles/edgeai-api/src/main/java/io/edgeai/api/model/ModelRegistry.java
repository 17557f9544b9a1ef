package io.edgeai.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Versioned models on the gateway's disk. Every change is announced on the {@code io/edgeai/model/*} event topics
 * (see {@link io.edgeai.api.monitoring.EdgeAiEvents}).
 */
@ProviderType
public interface ModelRegistry {

    /** Names of all registered models. */
    List<String> models();

    /** All versions of a model, oldest first; empty for an unknown model. */
    List<ModelVersion> versions(String model);

    /** The active version of a model, if any. */
    Optional<ModelVersion> active(String model);

    /** The folder holding a version's unpacked archive ({@code model.json}, {@code model.pt}, ...). */
    Optional<Path> directory(String model, int version);

    /** Where an archive comes from: each source has its own signature policy ({@code etc/io.edgeai.models.cfg}). */
    enum Source {
        /** Uploaded over the API or the console: signature required when {@code requireSignature} is set. */
        UPLOAD,
        /** Made by the gateway's own training service. */
        TRAINING,
        /** Sent by the fleet's models channel: signature required unless {@code requireSignatureFromFleet} is off. */
        FLEET
    }

    /**
     * Checks an archive (zip, {@code model.json}, checksums, its signature and the policy for its source, shapes, a
     * trial forward pass) and registers it as the model's next version, staged; nothing changes when it is refused.
     *
     * @param lineage where the archive came from; {@code null} takes the lineage in its {@code model.json}
     */
    ModelVersion register(String model, Path archive, Lineage lineage, Source source) throws InvalidModelException;

    /**
     * Makes a version active: it is loaded and warmed beside the active one, then takes the traffic; the previously
     * active version finishes its requests and is retired (and remembered for {@link #rollback}).
     */
    ModelVersion promote(String model, int version) throws InvalidModelException;

    /** Makes the previously active version active again, the same way as {@link #promote}. */
    ModelVersion rollback(String model) throws InvalidModelException;

    /**
     * Deletes a version that is not active (staged or retired) from disk; it is no longer a rollback target.
     *
     * @throws InvalidModelException when there is no such version, or it is the active one
     */
    void delete(String model, int version) throws InvalidModelException;

    /**
     * Starts a staged rollout of a registered version: it is loaded beside the active version, then goes through the
     * shadow and canary stages of the policy and becomes active by itself, unless a guard rail is breached: then it is
     * rolled back (unloaded; the active version never stopped serving) and the rollout says why.
     *
     * @param overrides settings that replace the model's configured policy for this rollout (may be empty)
     * @throws InvalidModelException with no active version to compare with, another rollout of the model running,
     *     an unknown version, the active version itself, or a setting out of range
     */
    default Rollout startRollout(String model, int version, java.util.Map<String, ?> overrides)
            throws InvalidModelException {
        throw new InvalidModelException("this registry does no staged rollouts");
    }

    /** The model's running rollout, else its last one; empty when it never had one. */
    default Optional<Rollout> rollout(String model) {
        return Optional.empty();
    }

    /**
     * Stops the model's running rollout: the version on trial is unloaded and stays staged.
     *
     * @throws InvalidModelException when no rollout of the model runs
     */
    default Rollout stopRollout(String model, String reason) throws InvalidModelException {
        throw new InvalidModelException("model '" + model + "' has no rollout running");
    }

    /** The policy a rollout of the model follows unless told otherwise ({@code etc/io.edgeai.models.cfg}). */
    default RolloutPolicy rolloutPolicy(String model) {
        return RolloutPolicy.DEFAULTS;
    }
}
