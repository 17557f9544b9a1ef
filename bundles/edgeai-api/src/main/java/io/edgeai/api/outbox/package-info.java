/**
 * Store-and-forward for uplinks: durable, ordered, bounded queues on the gateway's disk that keep what an uplink has
 * accepted until its far end (a broker, a cluster) has it. Provided by the gateway's embedded broker.
 */
@Export
@Version("1.0.0")
package io.edgeai.api.outbox;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
