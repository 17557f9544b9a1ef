/**
 * Training jobs run on the gateway: their specification, progress and result.
 */
@Export
@Version("1.0.0")
package io.edgeai.api.training;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
