/**
 * Network architectures the gateway trains and serves as DJL blocks: the built-in ones ({@link BuiltInArchitecture})
 * and any other bundle's, registered as {@link Architecture} services (whiteboard) and found through the
 * {@link ArchitectureCatalog} service. A trained model's {@code model.json} names its architecture and settings, so
 * that serving rebuilds the same block and loads the trained parameters into it.
 */
@Export
@Version("1.0.0")
package io.edgeai.djl.blocks;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
