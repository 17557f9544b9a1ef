/**
 * The anomaly watch: what every device gets with nothing configured. Each device stream is learnt on its own and each
 * reading scored ({@link io.edgeai.api.anomaly.AnomalyVerdict}); {@link io.edgeai.api.anomaly.AnomalyWatch} observes
 * readings and lists the streams it watches ({@link io.edgeai.api.anomaly.WatchedStream}).
 */
@Export
@Version("2.1.0")
package io.edgeai.api.anomaly;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
