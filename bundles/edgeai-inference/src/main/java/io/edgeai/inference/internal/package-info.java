/**
 * Serving: each model's active version loaded with DJL, warmed up, and behind its own dynamic batcher (a bounded queue
 * and workers); requests run through the version's own pipeline; a swap drains the old version. Nothing is exported:
 * other bundles use {@link io.edgeai.api.inference.InferenceService}.
 */
package io.edgeai.inference.internal;
