package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import io.edgeai.api.reading.RejectReason;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Steps that work along each device's time axis: resampling to a fixed rate, and linear gap filling. */
final class TimeSteps {

    private TimeSteps() {
    }

    /** Linear interpolation at time t between (t0, v0) and (t1, v1); v1 when both are at one time. */
    static double interpolate(long t0, double v0, long t1, double v1, long t) {
        return t1 == t0 ? v1 : v0 + (v1 - v0) * ((double) (t - t0) / (double) (t1 - t0));
    }

    /**
     * {@code resample}: per device, samples at fixed times, every {@code period} on the epoch (a {@code 1s} period
     * gives whole seconds), whatever the times the device sent. A sample yields the grid times since the device's
     * previous sample up to its own time, valued by {@code method}: {@code linear} (the default, between the two
     * samples) or {@code previous} (the earlier sample's value, the newer one's at its own time). A gap longer than
     * {@code maxGap} (default 10 periods) is not filled: the grid restarts after it. Values present in only one of
     * the two samples appear only at the newer one's time. Times must increase (reason out_of_order otherwise).
     */
    static Step resample(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("period", "method", "maxGap"));
        if (!parameters.has("period")) {
            throw new IllegalArgumentException("'period' is required, e.g. 1s");
        }
        long period = parameters.millis("period", 0);
        long maxGap = parameters.millis("maxGap", period * 10);
        if (maxGap / period > 100_000) {
            throw new IllegalArgumentException("'maxGap' allows " + maxGap / period + " samples per gap; at most"
                    + " 100000 periods");
        }
        boolean linear = "linear".equals(parameters.choice("method", "linear", Set.of("linear", "previous")));
        Map<String, Sample[]> previous = new ConcurrentHashMap<>();
        return sample -> {
            Sample[] last = previous.computeIfAbsent(sample.deviceId(), d -> new Sample[1]);
            synchronized (last) {
                long t1 = sample.timestamp().toEpochMilli();
                Sample before = last[0];
                if (before != null && t1 <= before.timestamp().toEpochMilli()) {
                    throw new PreprocessException(RejectReason.OUT_OF_ORDER, "resample", "time " + sample.timestamp()
                            + " is not after the device's previous " + before.timestamp());
                }
                last[0] = sample.with(sample.values());
                List<Sample> out = new ArrayList<>();
                if (before != null && t1 - before.timestamp().toEpochMilli() <= maxGap) {
                    long t0 = before.timestamp().toEpochMilli();
                    for (long g = Math.floorDiv(t0, period) * period + period; g < t1; g += period) {
                        Map<String, Double> values = new LinkedHashMap<>();
                        for (Map.Entry<String, Double> v1 : sample.values().entrySet()) {
                            Double v0 = before.values().get(v1.getKey());
                            if (v0 != null && v1.getValue() != null) {
                                values.put(v1.getKey(), linear ? interpolate(t0, v0, t1, v1.getValue(), g) : v0);
                            }
                        }
                        out.add(new Sample(sample.deviceId(), Instant.ofEpochMilli(g), values));
                    }
                }
                if (Math.floorMod(t1, period) == 0) {
                    out.add(sample);
                }
                return out;
            }
        };
    }

    /**
     * {@code fill} with {@code method: linear}: a sample missing one of the features waits until the device sends
     * the feature again, and is then filled by linear interpolation in time between the values before and after it;
     * samples leave in the order they came, so a complete sample may wait behind an incomplete one. After
     * {@code maxHeld} waiting samples (default 10) the oldest is filled with the last value instead. A sample missing
     * a feature the device has never sent is refused (missing_field).
     */
    static final class LinearFill implements Step {

        private final List<String> features;
        private final int maxHeld;
        private final Map<String, Device> devices = new ConcurrentHashMap<>();

        private static final class Device {
            final Deque<Sample> held = new ArrayDeque<>();
            final Map<String, double[]> lastKnown = new HashMap<>(); // feature -> {time, value}
        }

        LinearFill(List<String> features, int maxHeld) {
            this.features = features;
            this.maxHeld = maxHeld;
        }

        private static boolean missing(Sample sample, String feature) {
            Double x = sample.values().get(feature);
            return x == null || x.isNaN();
        }

        @Override
        public List<Sample> apply(Sample sample) throws PreprocessException {
            Device device = devices.computeIfAbsent(sample.deviceId(), d -> new Device());
            synchronized (device) {
                boolean complete = true;
                for (String feature : features) {
                    if (missing(sample, feature)) {
                        complete = false;
                        if (!device.lastKnown.containsKey(feature)) {
                            throw new PreprocessException(RejectReason.MISSING_FIELD, "fill", "'" + feature
                                    + "' is missing and the device has no earlier value to interpolate from");
                        }
                    }
                }
                long t1 = sample.timestamp().toEpochMilli();
                for (String feature : features) {
                    if (missing(sample, feature)) {
                        continue;
                    }
                    double v1 = sample.values().get(feature);
                    double[] known = device.lastKnown.get(feature);
                    for (Sample held : device.held) {
                        if (missing(held, feature)) {
                            held.values().put(feature, interpolate((long) known[0], known[1], t1, v1,
                                    held.timestamp().toEpochMilli()));
                        }
                    }
                    device.lastKnown.put(feature, new double[] {t1, v1});
                }
                if (complete && device.held.isEmpty()) {
                    return List.of(sample);
                }
                device.held.addLast(sample);
                List<Sample> out = new ArrayList<>();
                while (!device.held.isEmpty()) {
                    Sample head = device.held.getFirst();
                    boolean ready = features.stream().noneMatch(f -> missing(head, f));
                    if (!ready && device.held.size() > maxHeld) {
                        for (String feature : features) {
                            if (missing(head, feature)) {
                                head.values().put(feature, device.lastKnown.get(feature)[1]);
                            }
                        }
                        ready = true;
                    }
                    if (!ready) {
                        break;
                    }
                    out.add(device.held.removeFirst());
                }
                return out;
            }
        }
    }
}
