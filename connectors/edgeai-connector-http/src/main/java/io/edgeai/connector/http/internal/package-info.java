/** The HTTP connector: a servlet on Karaf's HTTP Whiteboard whose requests hand readings to the shared CamelContext. */
package io.edgeai.connector.http.internal;
