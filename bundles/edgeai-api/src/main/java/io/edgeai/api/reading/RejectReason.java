package io.edgeai.api.reading;

/**
 * Why a payload was refused. Every connector answers a reason with its protocol's error, as {@link #httpStatus()} and
 * {@link #coapCode()} map it in this one place (MQTT: a message on the device's error topic), and counts it under the
 * reason's {@link #metricTag()}.
 */
public enum RejectReason {
    /** Not parseable as the declared format. */
    MALFORMED,
    /** A content format the gateway does not accept. */
    UNSUPPORTED_FORMAT,
    /** A required field is missing or has the wrong type. */
    MISSING_FIELD,
    /** NaN or an infinity among the values. */
    NON_FINITE,
    /** A value outside the bounds a pipeline allows. */
    OUT_OF_RANGE,
    /** A time that repeats or goes back for the same device. */
    OUT_OF_ORDER,
    /** A sensor that keeps reporting the same value. */
    STUCK_SENSOR,
    /** Larger than the connector's configured limit. */
    TOO_LARGE,
    /** No body at all. */
    EMPTY,
    /** A device the gateway does not know, where devices must be known. */
    UNKNOWN_DEVICE,
    /** Missing or wrong credentials. */
    UNAUTHORIZED,
    /** A path or topic the gateway does not serve. */
    UNKNOWN_RESOURCE,
    /** The gateway is saturated; the sender should retry later. */
    OVERLOADED,
    /** The gateway's storage is nearly full: what it could not keep durably is refused; retry later. */
    STORAGE_FULL,
    /** The payload came too slowly (a client trickling its body); the connection is closed. */
    TOO_SLOW,
    /**
     * Not the protocol at all (a datagram that is no CoAP message): dropped without an answer, as the protocol wants,
     * and counted.
     */
    MALFORMED_DATAGRAM;

    /** The lower-case name used as the {@code reason} tag of rejection metrics. */
    public String metricTag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The HTTP status a refusal for this reason is answered with. */
    public int httpStatus() {
        return switch (this) {
            case UNSUPPORTED_FORMAT -> 415;
            case TOO_LARGE -> 413;
            case UNKNOWN_RESOURCE -> 404;
            case UNAUTHORIZED -> 401;
            case OVERLOADED, STORAGE_FULL -> 503;
            case TOO_SLOW -> 408;
            default -> 400;
        };
    }

    /**
     * The CoAP response code a refusal for this reason is answered with, as its number (class &lt;&lt; 5 | detail, RFC
     * 7252 section 12.1.2: 4.00 is 128): 4.15, 4.13, 4.04, 4.01, 5.03 (with Max-Age), else 4.00.
     */
    public int coapCode() {
        return switch (this) {
            case UNSUPPORTED_FORMAT -> 4 << 5 | 15;
            case TOO_LARGE -> 4 << 5 | 13;
            case UNKNOWN_RESOURCE -> 4 << 5 | 4;
            case UNAUTHORIZED -> 4 << 5 | 1;
            case OVERLOADED, STORAGE_FULL -> 5 << 5 | 3;
            default -> 4 << 5;
        };
    }

    /** The reason named by a header or a message: its name in any case; {@code MALFORMED} for text it is not. */
    public static RejectReason of(Object value) {
        if (value instanceof RejectReason reason) {
            return reason;
        }
        try {
            return value == null ? MALFORMED : valueOf(value.toString().trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return MALFORMED;
        }
    }
}
