package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Augmentation: more varied training data from the same readings. Training only: a pipeline serving readings skips
 * these steps. Each takes a {@code seed} (default 0), so that a training run can be repeated exactly.
 */
final class Augmentation {

    private Augmentation() {
    }

    private abstract static class TrainingOnly implements Step {
        final List<String> features;
        final Random random;

        TrainingOnly(Parameters parameters) {
            this.features = parameters.features();
            this.random = new Random((long) parameters.number("seed", 0));
        }

        boolean applies(String name) {
            return features.isEmpty() || features.contains(name);
        }

        @Override
        public boolean trainingOnly() {
            return true;
        }
    }

    /** {@code jitter}: adds Gaussian noise with standard deviation {@code sigma} (default 0.03) to each value. */
    static Step jitter(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("features", "sigma", "seed"));
        double sigma = positive(parameters, "sigma", 0.03);
        return new TrainingOnly(parameters) {
            @Override
            public synchronized List<Sample> apply(Sample sample) {
                sample.values().replaceAll((name, x) -> x != null && applies(name) ? x + sigma * random.nextGaussian()
                        : x);
                return List.of(sample);
            }
        };
    }

    /** {@code scaling}: multiplies each sample's values by one factor drawn from N(1, {@code sigma}) (default 0.1). */
    static Step scaling(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("features", "sigma", "seed"));
        double sigma = positive(parameters, "sigma", 0.1);
        return new TrainingOnly(parameters) {
            @Override
            public synchronized List<Sample> apply(Sample sample) {
                double factor = 1 + sigma * random.nextGaussian();
                sample.values().replaceAll((name, x) -> x != null && applies(name) ? x * factor : x);
                return List.of(sample);
            }
        };
    }

    /**
     * {@code magnitude-warp}: multiplies a device's values by a smooth random curve around 1: a knot every
     * {@code knots} samples (default 10) drawn from N(1, {@code sigma}) (default 0.2), linear between knots.
     */
    static Step magnitudeWarp(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("features", "sigma", "knots", "seed"));
        double sigma = positive(parameters, "sigma", 0.2);
        int knots = knots(parameters);
        Map<String, double[]> curves = new ConcurrentHashMap<>(); // device -> {position, from, to}
        return new TrainingOnly(parameters) {
            @Override
            public synchronized List<Sample> apply(Sample sample) {
                double[] curve = curves.computeIfAbsent(sample.deviceId(),
                        d -> new double[] {0, 1 + sigma * random.nextGaussian(), 1 + sigma * random.nextGaussian()});
                if (curve[0] == knots) {
                    curve[0] = 0;
                    curve[1] = curve[2];
                    curve[2] = 1 + sigma * random.nextGaussian();
                }
                double factor = curve[1] + (curve[2] - curve[1]) * curve[0] / knots;
                curve[0]++;
                sample.values().replaceAll((name, x) -> x != null && applies(name) ? x * factor : x);
                return List.of(sample);
            }
        };
    }

    /**
     * {@code time-warp}: stretches and squeezes a device's time axis by a smooth random speed: a knot every
     * {@code knots} samples (default 10) drawn from N(1, {@code sigma}) (default 0.2, kept above 0.1), linear between
     * knots; each interval between two samples is multiplied by the speed. Values stay; their times move. Follow it
     * with {@code resample} (or time windows) to get the warped series back on a fixed grid.
     */
    static Step timeWarp(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("sigma", "knots", "seed"));
        double sigma = positive(parameters, "sigma", 0.2);
        int knots = knots(parameters);
        Map<String, double[]> devices = new ConcurrentHashMap<>(); // {position, from, to, last time, warped time}
        return new TrainingOnly(parameters) {
            @Override
            public synchronized List<Sample> apply(Sample sample) {
                long t = sample.timestamp().toEpochMilli();
                double[] d = devices.computeIfAbsent(sample.deviceId(), id -> new double[] {0, speed(), speed(), t, t});
                if (d[0] == knots) {
                    d[0] = 0;
                    d[1] = d[2];
                    d[2] = speed();
                }
                double speed = d[1] + (d[2] - d[1]) * d[0] / knots;
                d[0]++;
                d[4] += (t - d[3]) * speed;
                d[3] = t;
                return List.of(new Sample(sample.deviceId(), Instant.ofEpochMilli(Math.round(d[4])), sample.values()));
            }

            private double speed() {
                return Math.max(0.1, 1 + sigma * random.nextGaussian());
            }
        };
    }

    /**
     * {@code window-slice}: per device, every {@code size} samples (required) a random contiguous slice of
     * {@code ratio} of them (default 0.9) is stretched back to {@code size} samples by linear interpolation, at the
     * original samples' times. Place it before a {@code window} step of the same size.
     */
    static Step windowSlice(Map<String, Object> definition) {
        Parameters parameters = new Parameters(definition, Set.of("size", "ratio", "seed"));
        double size = parameters.number("size", Double.NaN);
        if (size < 2 || size != Math.rint(size)) {
            throw new IllegalArgumentException("'size' must be a whole number of samples >= 2");
        }
        double ratio = parameters.number("ratio", 0.9);
        if (ratio <= 0 || ratio > 1) {
            throw new IllegalArgumentException("'ratio' must be in (0, 1]");
        }
        int n = (int) size;
        int m = Math.max(2, (int) Math.round(ratio * n));
        Map<String, List<Sample>> chunks = new ConcurrentHashMap<>();
        return new TrainingOnly(parameters) {
            @Override
            public synchronized List<Sample> apply(Sample sample) {
                List<Sample> chunk = chunks.computeIfAbsent(sample.deviceId(), d -> new ArrayList<>());
                chunk.add(sample);
                if (chunk.size() < n) {
                    return List.of();
                }
                chunks.remove(sample.deviceId());
                int start = random.nextInt(n - m + 1);
                List<Sample> out = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    double p = start + (double) j * (m - 1) / (n - 1);
                    Sample a = chunk.get((int) Math.floor(p));
                    Sample b = chunk.get((int) Math.ceil(p));
                    double w = p - Math.floor(p);
                    Map<String, Double> values = new LinkedHashMap<>();
                    a.values().forEach((name, x) -> {
                        Double y = b.values().get(name);
                        values.put(name, x == null || y == null ? x : x + (y - x) * w);
                    });
                    out.add(new Sample(sample.deviceId(), chunk.get(j).timestamp(), values));
                }
                return out;
            }
        };
    }

    private static int knots(Parameters parameters) {
        int knots = (int) parameters.number("knots", 10);
        if (knots < 2) {
            throw new IllegalArgumentException("'knots' must be at least 2 samples apart");
        }
        return knots;
    }

    private static double positive(Parameters parameters, String name, double fallback) {
        double value = parameters.number(name, fallback);
        if (value < 0) {
            throw new IllegalArgumentException("'" + name + "' must not be negative");
        }
        return value;
    }
}
