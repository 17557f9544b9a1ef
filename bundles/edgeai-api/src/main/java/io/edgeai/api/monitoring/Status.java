package io.edgeai.api.monitoring;

/** A component's health. */
public enum Status {
    UP,
    /** Working, but not as configured (a fallback, a backlog). */
    DEGRADED,
    DOWN
}
