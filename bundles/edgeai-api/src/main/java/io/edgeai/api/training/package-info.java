/**
 * Training on the gateway: jobs from a spec (architecture, loss, optimizer and schedule, epochs, data), run on a
 * bounded executor, their progress, cancellation, and the staged model version a finished job registers; the
 * anomaly watch that learns each device stream on its own.
 */
@Export
@Version("1.1.0")
package io.edgeai.api.training;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
