/**
 * A fragment of Pax Web's Jetty bundle: the server-wide error handler that answers what Jetty refuses before any
 * servlet context sees it (a path it cannot parse, headers too large) as problem+json under /api/, never an HTML page.
 */
package io.edgeai.http.jetty;
