package io.edgeai.api.connector;

import io.edgeai.api.monitoring.HealthIndicator;
import org.osgi.annotation.versioning.ConsumerType;

/** A protocol connector: where it listens, whether it is up and why, and what it has counted. */
@ConsumerType
public interface Connector extends HealthIndicator {

    /** Service property holding {@link #name()}, e.g. {@code (connector.name=coap)}. */
    String NAME_PROPERTY = "connector.name";

    /** Short name, e.g. {@code coap}, {@code coaps}, {@code mqtt}, {@code http}. */
    String name();

    /** Where it listens, e.g. {@code coap://0.0.0.0:5683}. */
    String endpoint();

    /** What it counted since it started: readings by outcome, refusals by reason, and its own counts. */
    ConnectorStats stats();
}
