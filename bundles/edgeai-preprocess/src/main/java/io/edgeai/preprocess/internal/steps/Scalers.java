package io.edgeai.preprocess.internal.steps;

import io.edgeai.api.preprocess.Step;
import io.edgeai.preprocess.internal.stats.Quantiles;
import io.edgeai.preprocess.internal.stats.RunningStats;
import java.util.Map;
import java.util.Set;

/** The three scalers: z-score (mean, standard deviation), min-max, robust (median, interquartile range). */
final class Scalers {

    private Scalers() {
    }

    /** {@code zscore}: (x - mean) / std, population std, with Welford's running statistics. */
    static Step zscore(Map<String, Object> definition) {
        return scaler(definition, () -> {
            RunningStats stats = new RunningStats();
            return ScalerStep.Learner.of(stats::add, () -> new double[] {stats.mean(), stats.std()});
        });
    }

    /** {@code minmax}: (x - min) / (max - min), so training data spans [0, 1]. */
    static Step minMax(Map<String, Object> definition) {
        return scaler(definition, () -> {
            RunningStats stats = new RunningStats();
            return ScalerStep.Learner.of(stats::add, () -> new double[] {stats.min(), stats.max() - stats.min()});
        });
    }

    /** {@code robust}: (x - median) / IQR, insensitive to the outliers a field sensor produces. */
    static Step robust(Map<String, Object> definition) {
        return scaler(definition, () -> {
            Quantiles quantiles = new Quantiles();
            return ScalerStep.Learner.of(quantiles::add, () -> new double[] {quantiles.median(), quantiles.iqr()});
        });
    }

    private static Step scaler(Map<String, Object> definition, java.util.function.Supplier<ScalerStep.Learner> learner) {
        return new ScalerStep(new Parameters(definition, Set.of("features")).features(), learner);
    }
}
