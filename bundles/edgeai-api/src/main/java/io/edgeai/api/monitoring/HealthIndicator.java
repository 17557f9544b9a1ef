package io.edgeai.api.monitoring;

import org.osgi.annotation.versioning.ConsumerType;

/** Published by every component that can be up or down; health is built from these, never guessed. */
@ConsumerType
public interface HealthIndicator {

    Health health();
}
