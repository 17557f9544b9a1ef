/**
 * The deep-learning engine runtime (DJL with PyTorch): which engine, version and device serve the gateway's models,
 * and whether it is loaded. Bundles that compute with DJL bind to an {@link io.edgeai.api.engine.EngineRuntime} whose
 * {@code engine.state} property is not {@code FAILED}, and start it before they use DJL.
 */
@Export
@Version("1.2.0")
package io.edgeai.api.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
