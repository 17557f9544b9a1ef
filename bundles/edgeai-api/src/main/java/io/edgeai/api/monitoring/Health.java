package io.edgeai.api.monitoring;

import java.util.Objects;

/**
 * One component's health with the reason, for {@code /api/v1/health} and {@code edgeai:status}.
 *
 * @param component the component name, e.g. {@code engine}, {@code camel}, {@code connector-coap}
 * @param status up, degraded or down
 * @param reason why; empty when up and nothing to say
 */
public record Health(String component, Status status, String reason) {

    public Health {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
    }

    /** The gateway's health from its components': DOWN when one is down, DEGRADED when one is degraded, else UP. */
    public static Status overall(java.util.Collection<Health> components) {
        return components.stream().anyMatch(h -> h.status() == Status.DOWN) ? Status.DOWN
                : components.stream().anyMatch(h -> h.status() == Status.DEGRADED) ? Status.DEGRADED : Status.UP;
    }
}
