/** The CoAP connector: a Californium server whose resources hand readings to the shared CamelContext. */
package io.edgeai.connector.coap.internal;
