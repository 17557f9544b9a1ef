/**
 * Integrators' Camel route files (XML or YAML DSL) in the assembly's deploy folder and what became of each.
 */
@Export
@Version("1.0.0")
package io.edgeai.api.routes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
