package io.edgeai.api.reading;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Turns a device's payload into readings; the one parser every connector uses, so all protocols agree. */
@ProviderType
public interface ReadingParser {

    /**
     * Parses a payload.
     *
     * @param deviceId the device, from the path or topic
     * @param payload the raw body
     * @param format its declared format
     * @param receivedAt the arrival time, used when the payload carries none
     * @return one reading, or for a SenML pack one reading per distinct time, in time order
     * @throws ReadingRejectedException when the payload is empty, malformed, lacks values or carries NaN/Infinity
     */
    List<Reading> parse(String deviceId, byte[] payload, PayloadFormat format, Instant receivedAt)
            throws ReadingRejectedException;
}
