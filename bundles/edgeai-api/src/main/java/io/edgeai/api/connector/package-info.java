/**
 * Protocol connectors as seen by operators: each connector publishes a {@link io.edgeai.api.connector.Connector}
 * with its endpoint, health and typed counts ({@link io.edgeai.api.connector.ConnectorStats}) ({@code edgeai:connector-list}).
 */
@Export
@Version("2.0.0")
package io.edgeai.api.connector;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
