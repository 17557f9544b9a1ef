package io.edgeai.api.inference;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: told of every batch a model's serving version computed for callers (warm-up passes excluded), with the
 * rows as the model took them (after the version's own pipeline) and its outputs. Called on the batch's worker thread
 * right after the forward pass: an implementation must only hand the data on (a bounded queue), never block.
 */
@ConsumerType
public interface PredictionListener {

    void predicted(String model, int version, float[][] inputs, float[][] outputs);
}
