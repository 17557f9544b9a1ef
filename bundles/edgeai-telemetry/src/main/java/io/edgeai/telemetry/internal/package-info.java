/**
 * Telemetry intake shared by all connectors: the payload parser, the default route on
 * {@link io.edgeai.api.reading.Telemetry#ENDPOINT} and the latest result per device.
 */
package io.edgeai.telemetry.internal;
