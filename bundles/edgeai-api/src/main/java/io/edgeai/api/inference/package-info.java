/**
 * Inference as a service: ask the active version of a named model for outputs.
 */
@Export
@Version("1.8.0")
package io.edgeai.api.inference;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
