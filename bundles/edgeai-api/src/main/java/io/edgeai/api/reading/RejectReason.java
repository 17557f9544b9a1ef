package io.edgeai.api.reading;

/**
 * Why a payload was refused. Every connector maps a reason to its protocol's error (CoAP 4.xx, HTTP problem+json,
 * MQTT error topic) and counts it under the reason's {@link #metricTag()}.
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
    TOO_SLOW;

    /** The lower-case name used as the {@code reason} tag of rejection metrics. */
    public String metricTag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
