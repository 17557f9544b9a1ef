package io.edgeai.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Which model versions the devices run themselves, as they report it in their telemetry ({@code "models": {"pump":
 * 3}} beside {@code "values"}): the fleet view an operator follows during a rollout. Kept in memory, the newest report
 * of each device (a bounded number of devices: the longest silent are forgotten first); after a restart it fills
 * again with the devices' next readings.
 */
@ProviderType
public interface DeviceFleet {

    /** The greatest number of model entries one report may carry. */
    int MAX_MODELS_PER_REPORT = 16;

    /**
     * One device's report.
     *
     * @param deviceId the device
     * @param model the model it runs
     * @param version the version it runs
     * @param reported when it last said so
     */
    record Report(String deviceId, String model, int version, Instant reported) {
    }

    /** A device says which version of each model it runs (replacing what it said before for those models). */
    void reported(String deviceId, Map<String, Integer> versions, Instant at);

    /** The devices that run a version of the model, by device id. */
    List<Report> devices(String model);

    /** How many devices run each version of the model. */
    default Map<Integer, Long> versions(String model) {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        for (Report report : devices(model)) {
            counts.merge(report.version(), 1L, Long::sum);
        }
        return counts;
    }
}
