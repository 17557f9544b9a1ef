/** The MQTT connector's implementation: nothing here is API. */
package io.edgeai.connector.mqtt.internal;
