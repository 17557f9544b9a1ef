package io.edgeai.api.preprocess;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A model-ready feature vector produced by a pipeline from one or more readings of a device.
 *
 * @param deviceId the device the readings came from
 * @param timestamp the time the vector stands for (the last reading's, for a window)
 * @param names the feature names, one per value
 * @param values the features, in the order of {@code names}
 */
public record Features(String deviceId, Instant timestamp, List<String> names, float[] values) {

    public Features {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(timestamp, "timestamp");
        names = List.copyOf(names);
        values = values.clone();
        if (names.size() != values.length) {
            throw new IllegalArgumentException(names.size() + " names for " + values.length + " values");
        }
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** A reading's values as they are, one feature per value (no pipeline). */
    public static Features of(io.edgeai.api.reading.Reading reading) {
        List<String> names = List.copyOf(reading.values().keySet());
        float[] values = new float[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = reading.values().get(names.get(i)).floatValue();
        }
        return new Features(reading.deviceId(), reading.timestamp(), names, values);
    }
}
