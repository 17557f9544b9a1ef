package io.edgeai.api.reading;

import java.util.Optional;

/**
 * The latest result JSON per device, as served by {@code GET /predictions/{deviceId}}. Changes are pushed to every
 * {@link ResultListener} service (whiteboard).
 */
public interface LatestResults {

    Optional<String> latest(String deviceId);

    /** Records a device's newest result and tells the listeners. */
    void publish(String deviceId, String resultJson);
}
