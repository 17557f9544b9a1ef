package io.edgeai.api.reading;

/**
 * The one Camel endpoint all connectors hand readings to, and the headers they set. The exchange body in is a
 * {@link Reading}; the body out is the {@link Result} the device gets back (as JSON). Integrators may intercept the endpoint, or
 * turn off the gateway's own route ({@code defaultRoute=false} in {@code etc/io.edgeai.telemetry.cfg}) and consume it
 * themselves.
 */
public final class Telemetry {

    /** The endpoint connectors send readings to. */
    public static final String ENDPOINT = "direct:edgeai-telemetry";

    /** Header: the device id. */
    public static final String HEADER_DEVICE_ID = io.edgeai.api.routes.EdgeAiHeaders.DEVICE_ID;

    /** Header: the protocol the reading came over ({@code coap}, {@code mqtt}, {@code http}). */
    public static final String HEADER_PROTOCOL = io.edgeai.api.routes.EdgeAiHeaders.PROTOCOL;

    /**
     * Header set by a stage that refused the reading (a pipeline step, say): the {@link RejectReason} name. The stage
     * also stops the route; the connector answers the device with the reason's protocol error and counts it.
     */
    public static final String HEADER_REJECT_REASON = io.edgeai.api.routes.EdgeAiHeaders.REJECT_REASON;

    /** Header: the refusal's message for the device, naming the step and the value. */
    public static final String HEADER_REJECT_MESSAGE = io.edgeai.api.routes.EdgeAiHeaders.REJECT_MESSAGE;

    /**
     * Header beside an {@code OVERLOADED} refusal: seconds the device should wait before sending again (HTTP
     * Retry-After, CoAP Max-Age, MQTT {@code retryAfterSeconds}).
     */
    public static final String HEADER_RETRY_AFTER = io.edgeai.api.routes.EdgeAiHeaders.RETRY_AFTER;

    /** Exchange property: the {@link Reading} as the connector handed it on, kept when a stage replaces the body. */
    public static final String PROPERTY_READING = io.edgeai.api.routes.EdgeAiHeaders.PROPERTY_READING;

    private Telemetry() {
    }
}
