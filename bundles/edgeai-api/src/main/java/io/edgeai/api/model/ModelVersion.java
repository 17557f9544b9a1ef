package io.edgeai.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * One registered version of a named model.
 *
 * @param model the model name
 * @param version the version number, increasing from 1
 * @param state staged, active or retired
 * @param spec what its {@code model.json} declares
 * @param created when it was registered
 * @param sha256 the SHA-256 of the archive it came from, in hex
 * @param metrics evaluation metrics stored with it (loss, accuracy, threshold, ...)
 * @param lineage where it came from
 */
public record ModelVersion(
        String model, int version, ModelState state, ModelSpec spec, Instant created, String sha256,
        Map<String, Double> metrics, Lineage lineage) {

    public ModelVersion {
        metrics = Map.copyOf(metrics);
    }

    /** The same version in another state. */
    public ModelVersion withState(ModelState newState) {
        return new ModelVersion(model, version, newState, spec, created, sha256, metrics, lineage);
    }
}
