package io.edgeai.api.preprocess;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What flows between the steps of a pipeline: one device's named values at one time. Steps change the values in
 * place, drop or add names, or return other samples (a window's features). A value may be missing (absent) or NaN
 * until a cleaning step has dealt with it.
 */
public final class Sample {

    private final String deviceId;
    private final Instant timestamp;
    private final Map<String, Double> values;

    public Sample(String deviceId, Instant timestamp, Map<String, Double> values) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
        this.values = new LinkedHashMap<>(values);
    }

    public String deviceId() {
        return deviceId;
    }

    public Instant timestamp() {
        return timestamp;
    }

    /** The values by name, in their order; mutable, for the step that holds the sample. */
    public Map<String, Double> values() {
        return values;
    }

    /** A copy with other values, same device and time. */
    public Sample with(Map<String, Double> newValues) {
        return new Sample(deviceId, timestamp, newValues);
    }

    @Override
    public String toString() {
        return deviceId + "@" + timestamp.toEpochMilli() + values;
    }
}
