package io.edgeai.api.model;

/** Where a version on trial takes its share of a model's traffic, while another version is active. */
public enum RolloutStage {
    /**
     * Receives a copy of the live inputs; its outputs are compared with the active version's and never answered.
     */
    SHADOW,
    /**
     * Answers the devices of a configured share (stable per device); the active version computes the same requests
     * beside it, for the comparison and as the answer whenever the canary fails.
     */
    CANARY
}
