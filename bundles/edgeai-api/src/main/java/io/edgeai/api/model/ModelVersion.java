package io.edgeai.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * One registered version of a named model.
 *
 * @param model the model name
 * @param version the version number, increasing from 1
 * @param state staged, active or retired
 * @param format the archive format, e.g. {@code torchscript}
 * @param created when it was registered
 * @param metrics evaluation metrics stored with it (loss, accuracy, threshold, ...)
 * @param lineage where it came from
 */
public record ModelVersion(
        String model, int version, ModelState state, String format, Instant created, Map<String, Double> metrics,
        Lineage lineage) {

    public ModelVersion {
        metrics = Map.copyOf(metrics);
    }
}
