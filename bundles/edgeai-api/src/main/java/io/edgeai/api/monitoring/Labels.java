package io.edgeai.api.monitoring;

import io.edgeai.api.reading.ReadingRejectedException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Ground truth that arrives after the answer (a technician's reading, a meter's end-of-day value), joined with what a
 * model answered a device. Offered by the monitoring bundle; connectors hand it the labels devices or back-office
 * systems send ({@code POST /api/v1/labels/{deviceId}}, MQTT {@code edgeai/labels/{deviceId}}).
 */
@ProviderType
public interface Labels {

    /**
     * Joins a label, JSON {@code {"ts": <the labelled reading's time, epoch ms or ISO-8601>, "value": <the true value
     * or class>}}, with the device's newest answer at or up to 60 s before {@code ts}, and counts it in that model
     * version's live accuracy.
     *
     * @return the pair, JSON: {@code deviceId, model, version, predictionTs, outputs, value, error, correct}
     * @throws ReadingRejectedException {@code MALFORMED} (not JSON), {@code MISSING_FIELD} (no {@code ts} or no finite
     *     {@code value}), {@code UNKNOWN_RESOURCE} (no answer of the device to join it with)
     */
    String label(String deviceId, byte[] json) throws ReadingRejectedException;

    /** The labels joined so far with a model version's answers (running totals); {@link LiveScore#NONE} before any. */
    LiveScore liveScore(String model, int version);
}
