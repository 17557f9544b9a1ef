package io.edgeai.api.reading;

/** The payload formats a reading may arrive in, with their media types and CoAP content-format numbers. */
public enum PayloadFormat {
    /** {@code {"ts": 1764450000000, "values": {"temperature": 21.5}}}; {@code ts} optional (epoch ms or ISO-8601). */
    JSON("application/json", 50),
    /** SenML JSON, RFC 8428: an array of records with {@code bn}, {@code bt}, {@code n}, {@code v}, {@code t}. */
    SENML_JSON("application/senml+json", 110);

    private final String mediaType;
    private final int coapContentFormat;

    PayloadFormat(String mediaType, int coapContentFormat) {
        this.mediaType = mediaType;
        this.coapContentFormat = coapContentFormat;
    }

    public String mediaType() {
        return mediaType;
    }

    public int coapContentFormat() {
        return coapContentFormat;
    }
}
