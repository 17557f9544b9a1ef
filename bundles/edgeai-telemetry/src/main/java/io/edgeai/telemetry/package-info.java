/**
 * Helpers every connector shares: counting received, accepted and rejected readings alike, draining requests in
 * flight before a connector stops, handing a reading to the route, and writing a result as JSON at the edge.
 */
@Export
@Version("1.4.0")
package io.edgeai.telemetry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
