/**
 * Training on the gateway: jobs from a spec (architecture, loss, optimizer and schedule, epochs, data), run on a
 * bounded executor, their progress, cancellation, and the staged model version a finished job registers; and a
 * participant's part in federated training ({@link io.edgeai.api.training.FederatedTraining}).
 */
@Export
@Version("2.1.0")
package io.edgeai.api.training;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
