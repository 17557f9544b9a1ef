package io.edgeai.api.reading;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One normalized sensor reading: the device that sent it, when it was taken (or received) and its named values.
 *
 * <p>Values are finite doubles; a connector refuses NaN and infinities with {@link RejectReason#NON_FINITE} before a
 * reading is ever built, so everything downstream may rely on it.
 *
 * @param deviceId the device, from the CoAP path, MQTT topic or HTTP path
 * @param timestamp when the values were measured; the arrival time when the device sent none
 * @param values the measured values by name, in the order the device sent them
 */
public record Reading(String deviceId, Instant timestamp, Map<String, Double> values) {

    public Reading {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(values, "values");
        if (deviceId.isBlank()) {
            throw new IllegalArgumentException("deviceId is blank");
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("value '" + e.getKey() + "' is not a finite number");
            }
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
