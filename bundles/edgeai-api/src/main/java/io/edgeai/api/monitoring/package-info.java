/**
 * Health of each component and the event topics on which the gateway announces what happened.
 */
@Export
@Version("1.2.0")
package io.edgeai.api.monitoring;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
