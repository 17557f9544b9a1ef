package io.edgeai.api.reading;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The latest result per device, as served by {@code GET /predictions/{deviceId}}. Changes are pushed to every
 * {@link ResultListener} service (whiteboard).
 */
@ProviderType
public interface LatestResults {

    Optional<Result> latest(String deviceId);

    /** Records a device's newest result and tells the listeners. */
    void publish(Result result);
}
