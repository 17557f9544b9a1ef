package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scales each feature to (x - center) / scale with a center and scale learned from the training data, then frozen.
 * A feature that did not vary in training (scale 0) becomes 0. Features not seen in training pass unchanged.
 */
final class ScalerStep implements Step {

    /** Learns one feature's center and scale. */
    interface Learner {
        void add(double x);

        double[] centerAndScale();

        static Learner of(java.util.function.DoubleConsumer add, java.util.function.Supplier<double[]> result) {
            return new Learner() {
                @Override
                public void add(double x) {
                    add.accept(x);
                }

                @Override
                public double[] centerAndScale() {
                    return result.get();
                }
            };
        }
    }

    private final List<String> features;
    private final java.util.function.Supplier<Learner> learner;
    private final Map<String, Learner> learners = new LinkedHashMap<>();
    private final Map<String, double[]> fitted = new LinkedHashMap<>();
    private boolean frozen;

    ScalerStep(List<String> features, java.util.function.Supplier<Learner> learner) {
        this.features = features;
        this.learner = learner;
    }

    private boolean applies(String name) {
        return features.isEmpty() || features.contains(name);
    }

    @Override
    public boolean learns() {
        return true;
    }

    @Override
    public void fit(Sample sample) {
        if (frozen) {
            throw new IllegalStateException("already fitted");
        }
        sample.values().forEach((name, x) -> {
            if (applies(name) && x != null && Double.isFinite(x)) {
                learners.computeIfAbsent(name, n -> learner.get()).add(x);
            }
        });
    }

    @Override
    public void freeze() {
        learners.forEach((name, learner) -> fitted.put(name, learner.centerAndScale()));
        learners.clear();
        frozen = true;
    }

    @Override
    public List<Sample> apply(Sample sample) {
        if (!frozen) {
            throw new IllegalStateException("not fitted: fit the pipeline (or restore it) before applying it");
        }
        for (Map.Entry<String, Double> value : sample.values().entrySet()) {
            double[] cs = fitted.get(value.getKey());
            if (cs != null && value.getValue() != null) {
                value.setValue(cs[1] == 0 ? 0.0 : (value.getValue() - cs[0]) / cs[1]);
            }
        }
        return List.of(sample);
    }

    @Override
    public Map<String, Object> fittedState() {
        return Pairs.toState(fitted);
    }

    @Override
    public void restore(Map<String, Object> state) {
        fitted.clear();
        fitted.putAll(Pairs.fromState(state));
        frozen = true;
    }

    /** The learned (center, scale) of a feature, or null. */
    double[] parameters(String feature) {
        double[] cs = fitted.get(feature);
        return cs == null ? null : cs.clone();
    }
}
