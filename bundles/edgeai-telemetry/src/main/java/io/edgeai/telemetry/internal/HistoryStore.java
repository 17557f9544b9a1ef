package io.edgeai.telemetry.internal;

import io.edgeai.api.preprocess.Features;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingHistory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * The newest {@code historyReadings} readings of the {@code historyDevices} most recently active devices, as the
 * default route's models see them (the pipeline's newest feature vector, or the reading itself without a pipeline),
 * compactly in memory: a time, the value names shared while they stay the same, and the values.
 */
@Component(service = {ReadingHistory.class, HistoryStore.class}, configurationPid = "io.edgeai.telemetry")
public class HistoryStore implements ReadingHistory {

    private record Kept(long millis, String[] names, double[] values) {
    }

    private volatile int perDevice;
    private volatile int maxDevices;
    private final Map<String, ArrayDeque<Kept>> devices;

    @Activate
    public HistoryStore(TelemetryConfig config) {
        this(config.historyReadings(), config.historyDevices());
    }

    HistoryStore(int perDevice, int maxDevices) {
        this.perDevice = Math.max(0, perDevice);
        this.maxDevices = Math.max(0, maxDevices);
        this.devices = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Kept>> eldest) {
                return size() > HistoryStore.this.maxDevices;
            }
        };
    }

    /**
     * A changed configuration (e.g. the route's model) keeps what was kept: without this the component would be
     * replaced, its history lost and the service gone for a moment (a training job on a device's readings failed then).
     */
    @Modified
    void modified(TelemetryConfig config) {
        resize(config.historyReadings(), config.historyDevices());
    }

    /** New limits; what exceeds them is dropped, the oldest first. */
    void resize(int readingsPerDevice, int mostDevices) {
        synchronized (devices) {
            perDevice = Math.max(0, readingsPerDevice);
            maxDevices = Math.max(0, mostDevices);
            Iterator<Map.Entry<String, ArrayDeque<Kept>>> eldest = devices.entrySet().iterator();
            while (devices.size() > maxDevices && eldest.hasNext()) {
                eldest.next();
                eldest.remove();
            }
            for (ArrayDeque<Kept> kept : devices.values()) {
                while (kept.size() > perDevice) {
                    kept.removeFirst();
                }
            }
        }
    }

    /** Keeps what the route's model saw of a reading: its newest feature vector, else the reading. */
    void keep(Reading reading, List<Features> features) {
        if (perDevice == 0) {
            return;
        }
        long millis;
        List<String> names;
        double[] values;
        if (features != null && !features.isEmpty()) {
            Features newest = features.get(features.size() - 1);
            float[] x = newest.values();
            values = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                values[i] = x[i];
            }
            millis = newest.timestamp().toEpochMilli();
            names = newest.names();
        } else if (features == null) {
            millis = reading.timestamp().toEpochMilli();
            names = new ArrayList<>(reading.values().keySet());
            values = reading.values().values().stream().mapToDouble(Double::doubleValue).toArray();
        } else {
            return; // a window is filling: the model saw nothing yet
        }
        synchronized (devices) {
            // re-inserted: the map's order is the devices' last activity (reading the history is not activity)
            ArrayDeque<Kept> kept = devices.remove(reading.deviceId());
            kept = kept == null ? new ArrayDeque<>() : kept;
            devices.put(reading.deviceId(), kept);
            String[] shared = kept.isEmpty() || !Arrays.asList(kept.peekLast().names()).equals(names)
                    ? names.toArray(new String[0]) : kept.peekLast().names();
            kept.addLast(new Kept(millis, shared, values));
            while (kept.size() > perDevice) {
                kept.removeFirst();
            }
        }
    }

    @Override
    public List<Reading> readings(String deviceId, Instant from, Instant to) {
        List<Kept> copy;
        synchronized (devices) {
            ArrayDeque<Kept> kept = devices.get(deviceId);
            copy = kept == null ? List.of() : new ArrayList<>(kept);
        }
        List<Reading> readings = new ArrayList<>();
        for (Iterator<Kept> it = copy.iterator(); it.hasNext();) {
            Kept k = it.next();
            if ((from == null || k.millis() >= from.toEpochMilli()) && (to == null || k.millis() < to.toEpochMilli())) {
                Map<String, Double> values = new LinkedHashMap<>();
                for (int i = 0; i < k.names().length; i++) {
                    if (Double.isFinite(k.values()[i])) {
                        values.put(k.names()[i], k.values()[i]);
                    }
                }
                readings.add(new Reading(deviceId, Instant.ofEpochMilli(k.millis()), values));
            }
        }
        return readings;
    }

    @Override
    public List<String> devices() {
        synchronized (devices) {
            return new ArrayList<>(devices.keySet());
        }
    }
}
