/**
 * Health of each component, the event topics on which the gateway announces what happened, and the meters each
 * component offers the monitoring ({@link io.edgeai.api.monitoring.MeterSet}: Micrometer {@code MeterBinder} services).
 */
@Export
@Version("1.5.0")
package io.edgeai.api.monitoring;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
