package io.edgeai.api.reading;

/**
 * The one Camel endpoint all connectors hand readings to, and the headers they set. The exchange body in is a
 * {@link Reading}; the body out is the result JSON the device gets back. Integrators may intercept the endpoint, or
 * turn off the gateway's own route ({@code defaultRoute=false} in {@code etc/io.edgeai.telemetry.cfg}) and consume it
 * themselves.
 */
public final class Telemetry {

    /** The endpoint connectors send readings to. */
    public static final String ENDPOINT = "direct:edgeai-telemetry";

    /** Header: the device id. */
    public static final String HEADER_DEVICE_ID = "EdgeAiDeviceId";

    /** Header: the protocol the reading came over ({@code coap}, {@code mqtt}, {@code http}). */
    public static final String HEADER_PROTOCOL = "EdgeAiProtocol";

    private Telemetry() {
    }
}
