package io.edgeai.api.reading;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The recent readings of each device as the gateway's models see them (after the default route's pipeline), kept in
 * memory within configured bounds (newest kept, oldest forgotten), for training on a device's stream and time window.
 */
@ProviderType
public interface ReadingHistory {

    /**
     * The device's kept readings taken in [{@code from}, {@code to}), oldest first.
     *
     * @param from null: since the oldest kept
     * @param to null: up to the newest
     */
    List<Reading> readings(String deviceId, Instant from, Instant to);

    /** Devices with kept readings. */
    List<String> devices();
}
