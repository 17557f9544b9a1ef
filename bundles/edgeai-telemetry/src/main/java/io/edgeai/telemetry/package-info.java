/**
 * Helpers every connector shares: counting received, accepted and rejected readings alike, and draining requests in
 * flight before a connector stops.
 */
@Export
@Version("1.3.0")
package io.edgeai.telemetry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
