/** The gateway's HTTP context: access checks and error pages for every servlet of the gateway. Nothing is exported. */
package io.edgeai.http.internal;
