package io.edgeai.api.model;

/** Where a model version stands. Exactly one version of a model is active at a time, or none. */
public enum ModelState {
    /** Registered and checked, not serving. */
    STAGED,
    /** Serving every request for its model. */
    ACTIVE,
    /** Served once; kept for rollback and lineage. */
    RETIRED
}
