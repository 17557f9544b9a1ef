/**
 * Integrators' Camel route files (XML or YAML DSL) in the assembly's deploy folder and what became of each, and the
 * headers the gateway's routes and {@code edgeai:} endpoints use ({@link io.edgeai.api.routes.EdgeAiHeaders}).
 */
@Export
@Version("1.3.0")
package io.edgeai.api.routes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
