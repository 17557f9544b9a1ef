/**
 * The shared CamelContext and the deploy/ route-file watcher. Nothing here is exported: other bundles see the
 * context as an {@code org.apache.camel.CamelContext} service and the route files through
 * {@link io.edgeai.api.routes.RouteFiles}.
 */
package io.edgeai.camel.internal;
