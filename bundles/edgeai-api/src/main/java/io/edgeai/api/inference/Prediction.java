package io.edgeai.api.inference;

/**
 * A model's answer, attributable to exactly one version.
 *
 * @param model the model name
 * @param version the version that computed the outputs
 * @param outputs one output row per input row
 */
public record Prediction(String model, int version, float[][] outputs) {
}
