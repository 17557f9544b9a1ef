package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code window}: per device, windows of samples, each emitted as one sample with features of each value over the
 * window, named {@code <value>.<feature>}: {@code mean}, {@code std} (population), {@code min}, {@code max},
 * {@code last} and {@code slope} (least-squares, per second of the samples' timestamps).
 *
 * <ul>
 *   <li>By count: the last {@code size} samples, every {@code step} samples (tumbling: step = size, the default;
 *       sliding: step &lt; size). The emitted sample carries the last sample's time; nothing until a window is full.
 *   <li>By time: {@code duration} (e.g. {@code 10s}) and {@code slide} (default = duration, tumbling). Windows are
 *       [k&middot;slide, k&middot;slide + duration) on the epoch; a window is emitted, stamped with its end, when the
 *       first sample at or after its end arrives, if it holds any samples. Samples must come in time order (put a
 *       {@code timestamps} step first); a late one joins the window still open.
 * </ul>
 */
final class WindowStep implements Step {

    static final Set<String> FEATURES = Set.of("mean", "std", "min", "max", "last", "slope");

    private final int size;
    private final int step;
    private final long duration;
    private final long slide;
    private final List<String> features;
    private final List<String> values;
    private final Map<String, DeviceWindow> windows = new ConcurrentHashMap<>();

    private static final class DeviceWindow {
        final Deque<Sample> samples = new ArrayDeque<>();
        int sinceEmit;
        long nextEnd = Long.MIN_VALUE;
    }

    WindowStep(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("size", "step", "duration", "slide", "features",
                "values"));
        if (parameters.has("duration") == parameters.has("size")) {
            throw new IllegalArgumentException("give either 'size' (samples) or 'duration' (time), not both or none");
        }
        if (parameters.has("duration")) {
            if (parameters.has("step")) {
                throw new IllegalArgumentException("'step' counts samples: use 'slide' with 'duration'");
            }
            this.duration = parameters.millis("duration", 0);
            this.slide = parameters.millis("slide", duration);
            if (slide > duration) {
                throw new IllegalArgumentException("'slide' must not exceed 'duration' (" + duration + " ms)");
            }
            this.size = 0;
            this.step = 0;
        } else {
            if (parameters.has("slide")) {
                throw new IllegalArgumentException("'slide' is a time: use 'step' with 'size'");
            }
            double size = parameters.number("size", Double.NaN);
            if (size < 1 || size != Math.rint(size)) {
                throw new IllegalArgumentException("'size' must be a whole number of samples >= 1");
            }
            this.size = (int) size;
            double step = parameters.number("step", size);
            if (step < 1 || step > size || step != Math.rint(step)) {
                throw new IllegalArgumentException("'step' must be a whole number from 1 to 'size' (" + this.size
                        + ")");
            }
            this.step = (int) step;
            this.duration = 0;
            this.slide = 0;
        }
        this.features = parameters.list("features", List.copyOf(new java.util.TreeSet<>(FEATURES)));
        for (String feature : features) {
            if (!FEATURES.contains(feature)) {
                throw new IllegalArgumentException("unknown feature '" + feature + "' (known: " + FEATURES + ")");
            }
        }
        this.values = parameters.list("values", List.of());
    }

    @Override
    public List<Sample> apply(Sample sample) {
        DeviceWindow window = windows.computeIfAbsent(sample.deviceId(), d -> new DeviceWindow());
        synchronized (window) {
            return duration > 0 ? byTime(window, sample) : byCount(window, sample);
        }
    }

    private List<Sample> byCount(DeviceWindow window, Sample sample) {
        window.samples.addLast(sample);
        if (window.samples.size() > size) {
            window.samples.removeFirst();
        }
        window.sinceEmit++;
        if (window.samples.size() < size || window.sinceEmit < step) {
            return List.of();
        }
        window.sinceEmit = 0;
        return List.of(features(window.samples, sample, sample));
    }

    private List<Sample> byTime(DeviceWindow window, Sample sample) {
        long t = sample.timestamp().toEpochMilli();
        if (window.nextEnd == Long.MIN_VALUE) {
            window.nextEnd = firstEndAfter(t);
        }
        List<Sample> out = new ArrayList<>(1);
        while (t >= window.nextEnd) {
            long start = window.nextEnd - duration;
            Deque<Sample> in = new ArrayDeque<>();
            for (Sample s : window.samples) {
                long st = s.timestamp().toEpochMilli();
                if (st >= start && st < window.nextEnd) {
                    in.addLast(s);
                }
            }
            if (!in.isEmpty()) {
                out.add(features(in, in.getLast(), new Sample(sample.deviceId(), java.time.Instant.ofEpochMilli(window.nextEnd), Map.of())));
            }
            window.nextEnd += slide;
            boolean anyLeft = window.samples.stream().anyMatch(s -> s.timestamp().toEpochMilli()
                    >= window.nextEnd - duration);
            if (!anyLeft) {
                window.nextEnd = Math.max(window.nextEnd, firstEndAfter(t));
            }
        }
        window.samples.addLast(sample);
        while (!window.samples.isEmpty()
                && window.samples.getFirst().timestamp().toEpochMilli() < window.nextEnd - duration) {
            window.samples.removeFirst();
        }
        return out;
    }

    /** The end of the earliest window that contains time t. */
    private long firstEndAfter(long t) {
        return Math.floorDiv(t - duration, slide) * slide + slide + duration;
    }

    /** Features over the samples, with the names of the last one, as a sample with stamp's device and time. */
    private Sample features(Deque<Sample> samples, Sample last, Sample stamp) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : last.values().keySet()) {
            if (!values.isEmpty() && !values.contains(name)) {
                continue;
            }
            double[] x = new double[samples.size()];
            double[] t = new double[samples.size()];
            int i = 0;
            for (Sample s : samples) {
                Double v = s.values().get(name);
                x[i] = v == null ? Double.NaN : v;
                t[i] = s.timestamp().toEpochMilli() / 1000.0;
                i++;
            }
            for (String feature : features) {
                out.put(name + "." + feature, feature(feature, x, t));
            }
        }
        return stamp.with(out);
    }

    private static double feature(String feature, double[] x, double[] t) {
        int n = x.length;
        switch (feature) {
            case "last":
                return x[n - 1];
            case "min": {
                double min = Double.POSITIVE_INFINITY;
                for (double v : x) {
                    min = Math.min(min, v);
                }
                return min;
            }
            case "max": {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : x) {
                    max = Math.max(max, v);
                }
                return max;
            }
            default:
                break;
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        if ("mean".equals(feature)) {
            return mean;
        }
        if ("std".equals(feature)) {
            double squares = 0;
            for (double v : x) {
                squares += (v - mean) * (v - mean);
            }
            return Math.sqrt(squares / n);
        }
        // slope: cov(t, x) / var(t); flat when all samples share one time
        double tMean = 0;
        for (double v : t) {
            tMean += v;
        }
        tMean /= n;
        double cov = 0;
        double var = 0;
        for (int i = 0; i < n; i++) {
            cov += (t[i] - tMean) * (x[i] - mean);
            var += (t[i] - tMean) * (t[i] - tMean);
        }
        return var == 0 ? 0 : cov / var;
    }

    /** Windows are state of the stream, not learned: nothing to carry in the model archive. */
    List<String> featureNames() {
        return new ArrayList<>(features);
    }
}
