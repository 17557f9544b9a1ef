package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
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
        int knots = (int) parameters.number("knots", 10);
        if (knots < 2) {
            throw new IllegalArgumentException("'knots' must be at least 2 samples apart");
        }
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

    private static double positive(Parameters parameters, String name, double fallback) {
        double value = parameters.number(name, fallback);
        if (value < 0) {
            throw new IllegalArgumentException("'" + name + "' must not be negative");
        }
        return value;
    }
}
