package io.edgeai.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Versioned models on the gateway's disk. Every change is announced on the {@code io/edgeai/model/*} event topics
 * (see {@link io.edgeai.api.monitoring.EdgeAiEvents}).
 */
public interface ModelRegistry {

    /** Names of all registered models. */
    List<String> models();

    /** All versions of a model, oldest first; empty for an unknown model. */
    List<ModelVersion> versions(String model);

    /** The active version of a model, if any. */
    Optional<ModelVersion> active(String model);

    /** Checks an archive and registers it as a new staged version; nothing changes when it is refused. */
    ModelVersion register(String model, Path archive) throws InvalidModelException;

    /** Makes a version active; the previous active version is retired. */
    ModelVersion promote(String model, int version) throws InvalidModelException;

    /** Makes the previously active version active again. */
    ModelVersion rollback(String model) throws InvalidModelException;
}
