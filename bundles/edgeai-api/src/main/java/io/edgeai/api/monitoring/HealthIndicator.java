package io.edgeai.api.monitoring;

/** Published by every component that can be up or down; health is built from these, never guessed. */
public interface HealthIndicator {

    Health health();
}
