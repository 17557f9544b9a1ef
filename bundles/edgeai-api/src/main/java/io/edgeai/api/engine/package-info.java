/**
 * The deep-learning engine runtime (DJL with PyTorch): which engine, version and device serve the gateway's models,
 * and whether it is ready. Bundles that compute with DJL wait for an {@link io.edgeai.api.engine.EngineRuntime} whose
 * {@code engine.state} property is {@code READY}.
 */
@Export
@Version("1.1.0")
package io.edgeai.api.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
