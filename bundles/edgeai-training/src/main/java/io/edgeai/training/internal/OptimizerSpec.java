package io.edgeai.training.internal;

import java.util.List;

/**
 * An optimizer and its settings. {@code sgd} (with {@code momentum}; {@code nesterov} for Nesterov's accelerated
 * gradient), {@code adagrad}, {@code rmsprop} ({@code rho}, {@code momentum}), {@code adam} ({@code beta1},
 * {@code beta2}); all take {@code epsilon} where they use one, {@code weightDecay} (L2) and {@code clipGradient}
 * (0: none).
 */
record OptimizerSpec(String type, double learningRate, double momentum, boolean nesterov, double beta1, double beta2,
        double rho, double epsilon, double weightDecay, double clipGradient) {

    static final List<String> TYPES = List.of("sgd", "adagrad", "rmsprop", "adam");

    /** The type with the customary defaults (momentum 0, beta1 0.9, beta2 0.999, rho 0.9, epsilon 1e-8). */
    static OptimizerSpec of(String type, double learningRate) {
        return new OptimizerSpec(type, learningRate, 0, false, 0.9, 0.999, 0.9, 1e-8, 0, 0);
    }

    OptimizerSpec withMomentum(double value, boolean nesterovValue) {
        return new OptimizerSpec(type, learningRate, value, nesterovValue, beta1, beta2, rho, epsilon, weightDecay,
                clipGradient);
    }

    void check() {
        if (type == null || !TYPES.contains(type)) {
            throw new InvalidSpecException("optimizer: unknown type '" + type + "' (known: " + String.join(", ", TYPES)
                    + ")");
        }
        if (!(learningRate > 0 && learningRate < 1e3)) {
            throw new InvalidSpecException("optimizer.learningRate: " + learningRate + " (above 0, below 1000)");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidSpecException("optimizer.momentum: " + momentum + " (0 to below 1)");
        }
        if (nesterov && !"sgd".equals(type)) {
            throw new InvalidSpecException("optimizer.nesterov: only with type sgd");
        }
        if (nesterov && momentum == 0) {
            throw new InvalidSpecException("optimizer.nesterov: needs a momentum above 0");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(rho >= 0 && rho < 1)) {
            throw new InvalidSpecException("optimizer.beta1, beta2, rho: 0 to below 1");
        }
        if (!(epsilon > 0) || !(weightDecay >= 0) || !(clipGradient >= 0)) {
            throw new InvalidSpecException("optimizer.epsilon above 0, weightDecay and clipGradient 0 or more");
        }
    }
}
