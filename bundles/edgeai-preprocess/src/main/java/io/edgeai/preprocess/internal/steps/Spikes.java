package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.preprocess.internal.stats.Quantiles;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Spike handling: the Hampel filter over each device's recent values, and IQR fences learned in training. */
final class Spikes {

    /** Scales a median absolute deviation to a standard deviation for normal data. */
    static final double MAD_TO_SIGMA = 1.4826;

    private Spikes() {
    }

    /**
     * {@code hampel}: a value further than {@code threshold} (default 3) scaled MADs from the median of the device's
     * previous {@code window} (default 7) values is a spike: replaced by that median ({@code action: replace}, the
     * default) or refused ({@code reject}, reason out_of_range). The first values pass until the window is full.
     */
    static Step hampel(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("features", "window", "threshold", "action"));
        List<String> features = parameters.features();
        int window = (int) parameters.number("window", 7);
        if (window < 3) {
            throw new IllegalArgumentException("'window' must be at least 3");
        }
        double threshold = parameters.number("threshold", 3);
        String action = parameters.choice("action", "replace", Set.of("replace", "reject"));
        Map<String, Deque<Double>> history = new ConcurrentHashMap<>();
        return sample -> {
            for (Map.Entry<String, Double> value : sample.values().entrySet()) {
                Double x = value.getValue();
                if (x == null || !Double.isFinite(x) || !(features.isEmpty() || features.contains(value.getKey()))) {
                    continue;
                }
                Deque<Double> previous = history.computeIfAbsent(sample.deviceId() + "\u0000" + value.getKey(),
                        k -> new ArrayDeque<>());
                synchronized (previous) {
                    double kept = x;
                    if (previous.size() == window) {
                        double[] sorted = previous.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                        double median = median(sorted);
                        double[] deviations = Arrays.stream(sorted).map(v -> Math.abs(v - median)).sorted().toArray();
                        double sigma = MAD_TO_SIGMA * median(deviations);
                        if (Math.abs(x - median) > threshold * sigma && Math.abs(x - median) > 0) {
                            if ("reject".equals(action)) {
                                throw new PreprocessException(RejectReason.OUT_OF_RANGE, "hampel", "'" + value.getKey()
                                        + "' = " + x + " is a spike: median " + median + ", " + threshold
                                        + " scaled MADs = " + threshold * sigma);
                            }
                            kept = median;
                            value.setValue(median);
                        }
                        previous.removeFirst();
                    }
                    previous.addLast(kept);
                }
            }
            return List.of(sample);
        };
    }

    /**
     * {@code iqr-clip}: fences [Q1 - k IQR, Q3 + k IQR] per feature ({@code k} default 1.5), learned from the training
     * data and frozen; a value outside is clipped to the fence ({@code action: clip}, the default) or refused.
     */
    static Step iqrClip(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("features", "k", "action"));
        List<String> features = parameters.features();
        double k = parameters.number("k", 1.5);
        String action = parameters.choice("action", "clip", Set.of("clip", "reject"));
        return new Step() {
            private final Map<String, Quantiles> learning = new LinkedHashMap<>();
            private final Map<String, double[]> fences = new LinkedHashMap<>();

            @Override
            public boolean learns() {
                return true;
            }

            @Override
            public void fit(Sample sample) {
                sample.values().forEach((name, x) -> {
                    if (x != null && Double.isFinite(x) && (features.isEmpty() || features.contains(name))) {
                        learning.computeIfAbsent(name, n -> new Quantiles()).add(x);
                    }
                });
            }

            @Override
            public void freeze() {
                learning.forEach((name, q) -> {
                    double q1 = q.quantile(0.25);
                    double q3 = q.quantile(0.75);
                    fences.put(name, new double[] {q1 - k * (q3 - q1), q3 + k * (q3 - q1)});
                });
                learning.clear();
            }

            @Override
            public List<Sample> apply(Sample sample) throws PreprocessException {
                for (Map.Entry<String, Double> value : sample.values().entrySet()) {
                    double[] fence = fences.get(value.getKey());
                    Double x = value.getValue();
                    if (fence == null || x == null || (x >= fence[0] && x <= fence[1])) {
                        continue;
                    }
                    if ("reject".equals(action)) {
                        throw new PreprocessException(RejectReason.OUT_OF_RANGE, "iqr-clip", "'" + value.getKey()
                                + "' = " + x + " is outside [" + fence[0] + ", " + fence[1] + "]");
                    }
                    value.setValue(Math.max(fence[0], Math.min(fence[1], x)));
                }
                return List.of(sample);
            }

            @Override
            public Map<String, Object> fittedState() {
                return Pairs.toState(fences);
            }

            @Override
            public void restore(Map<String, Object> state) {
                fences.clear();
                fences.putAll(Pairs.fromState(state));
            }
        };
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
