package io.edgeai.training.internal;

import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;

/** Specs into DJL: optimizers, learning-rate trackers (counted in updates, specified in epochs) and losses. */
final class Optimizers {

    private Optimizers() {
    }

    static Optimizer optimizer(OptimizerSpec spec, Tracker rate) {
        Optimizer.OptimizerBuilder<?> builder = switch (spec.type()) {
            case "sgd" -> spec.nesterov()
                    ? NdOptimizer.nesterov(rate, (float) spec.momentum())
                    : Optimizer.sgd().setLearningRateTracker(rate).optMomentum((float) spec.momentum());
            case "adagrad" -> NdOptimizer.adagrad(rate, (float) spec.epsilon());
            case "rmsprop" -> NdOptimizer.rmsprop(rate, (float) spec.rho(), (float) spec.momentum(),
                    (float) spec.epsilon());
            case "adam" -> Optimizer.adam().optLearningRateTracker(rate).optBeta1((float) spec.beta1())
                    .optBeta2((float) spec.beta2()).optEpsilon((float) spec.epsilon());
            default -> throw new InvalidSpecException("optimizer: unknown type '" + spec.type() + "'");
        };
        builder.optWeightDecays((float) spec.weightDecay());
        if (spec.clipGradient() > 0) {
            builder.optClipGrad((float) spec.clipGradient());
        }
        return build(builder);
    }

    private static Optimizer build(Optimizer.OptimizerBuilder<?> builder) {
        if (builder instanceof ai.djl.training.optimizer.Sgd.Builder b) {
            return b.build();
        }
        if (builder instanceof NdOptimizer.Builder b) {
            return b.build();
        }
        return ((ai.djl.training.optimizer.Adam.Builder) builder).build();
    }

    /** The learning rate over the run; {@code updatesPerEpoch} turns the spec's epochs into optimizer updates. */
    static Tracker rate(double learningRate, ScheduleSpec schedule, int epochs, int updatesPerEpoch) {
        float base = (float) learningRate;
        int total = Math.max(1, epochs * updatesPerEpoch);
        int warmup = schedule.warmupEpochs() * updatesPerEpoch;
        Tracker main = switch (schedule.type()) {
            case "constant" -> Tracker.fixed(base);
            case "step" -> {
                int count = Math.max(1, (epochs - 1) / schedule.stepEpochs());
                int[] steps = new int[count];
                for (int i = 0; i < count; i++) {
                    steps[i] = (i + 1) * schedule.stepEpochs() * updatesPerEpoch;
                }
                yield Tracker.multiFactor().setBaseValue(base).setSteps(steps).optFactor((float) schedule.factor())
                        .build();
            }
            case "exponential" -> Tracker.factor().setBaseValue(base)
                    .setFactor((float) Math.pow(schedule.factor(), 1.0 / updatesPerEpoch)).build();
            case "cosine" -> Tracker.cosine().setBaseValue(base).optFinalValue((float) (base * schedule.finalRate()))
                    .setMaxUpdates(Math.max(1, total - warmup)).build();
            default -> throw new InvalidSpecException("schedule: unknown type '" + schedule.type() + "'");
        };
        if (warmup == 0) {
            return main;
        }
        return Tracker.warmUp().setMainTracker(main).optWarmUpSteps(warmup).optWarmUpBeginValue(0f)
                .optWarmUpMode(WarmUpTracker.Mode.LINEAR).build();
    }

    /** {@code mse}, {@code mae}, {@code cross-entropy} (class indices as labels). */
    static Loss loss(String name) {
        return switch (name) {
            case "mse" -> Loss.l2Loss("mse", 1f); // DJL's default L2 loss is half the squared error
            case "mae" -> Loss.l1Loss("mae");
            case "cross-entropy" -> Loss.softmaxCrossEntropyLoss("cross-entropy");
            default -> throw new InvalidSpecException("loss: unknown '" + name
                    + "' (known: mse, mae, cross-entropy)");
        };
    }
}
