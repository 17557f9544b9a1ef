package io.edgeai.training.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Optimizers whose DJL versions have no PyTorch-engine kernel ({@code Nag}, {@code RmsProp}: "Not implemented";
 * {@code Adagrad}: "Only COO sparse type supported"), written with NDArray operations through DJL's optimizer extension point, with
 * PyTorch's formulas:
 * <ul>
 * <li>Nesterov: {@code v = m v + g; w -= lr (g + m v)}</li>
 * <li>AdaGrad: {@code s += g^2; w -= lr g / (sqrt(s) + eps)}</li>
 * <li>RMSProp: {@code s = rho s + (1 - rho) g^2; b = m b + g / (sqrt(s) + eps); w -= lr b} (without momentum:
 * {@code w -= lr g / (sqrt(s) + eps)})</li>
 * </ul>
 * Weight decay is added to the gradient. DJL hands an optimizer a copy of the gradient and its own PyTorch kernels
 * reset the parameter's gradient after the update (PyTorch adds gradients up); these do the same.
 */
final class NdOptimizer extends Optimizer {

    enum Rule { NESTEROV, ADAGRAD, RMSPROP }

    private final Rule rule;
    private final ParameterTracker rate;
    private final float momentum;
    private final float epsilon;
    private final float rho;
    private final Map<String, Map<Device, NDArray>> state = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> buffer = new ConcurrentHashMap<>();

    private NdOptimizer(Builder builder) {
        super(builder);
        this.rule = builder.rule;
        this.rate = builder.rate;
        this.momentum = builder.momentum;
        this.epsilon = builder.epsilon;
        this.rho = builder.rho;
    }

    static Builder nesterov(ParameterTracker rate, float momentum) {
        if (!(momentum > 0)) {
            throw new InvalidSpecException("optimizer.nesterov: needs a momentum above 0");
        }
        return new Builder(Rule.NESTEROV, rate, momentum, 0, 0);
    }

    static Builder adagrad(ParameterTracker rate, float epsilon) {
        return new Builder(Rule.ADAGRAD, rate, 0, epsilon, 0);
    }

    static Builder rmsprop(ParameterTracker rate, float rho, float momentum, float epsilon) {
        return new Builder(Rule.RMSPROP, rate, momentum, epsilon, rho);
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float learningRate = rate.getNewValue(parameterId, updateCount(parameterId));
        NDArray g = grad.mul(rescaleGrad);
        if (clipGrad > 0) {
            g = g.clip(-clipGrad, clipGrad);
        }
        if (getWeightDecay() > 0) {
            g = g.add(weight.mul(getWeightDecay()));
        }
        NDArray s = withDefaultState(state, parameterId, weight.getDevice(), k -> weight.zerosLike());
        if (rule == Rule.NESTEROV) {
            s.muli(momentum).addi(g);
            weight.subi(g.add(s.mul(momentum)).muli(learningRate));
        } else if (rule == Rule.ADAGRAD) {
            s.addi(g.square());
            weight.subi(g.div(s.sqrt().addi(epsilon)).muli(learningRate));
        } else {
            s.muli(rho).addi(g.square().muli(1 - rho));
            NDArray step = g.div(s.sqrt().addi(epsilon));
            if (momentum > 0) {
                NDArray b = withDefaultState(buffer, parameterId, weight.getDevice(), k -> weight.zerosLike());
                step = b.muli(momentum).addi(step);
            }
            weight.subi(step.mul(learningRate));
        }
        NDArray accumulated = weight.getGradient();
        accumulated.subi(accumulated);
    }

    /** Built from a spec by {@link Optimizers}. */
    static final class Builder extends OptimizerBuilder<Builder> {

        private final Rule rule;
        private final ParameterTracker rate;
        private final float momentum;
        private final float epsilon;
        private final float rho;

        private Builder(Rule rule, ParameterTracker rate, float momentum, float epsilon, float rho) {
            this.rule = rule;
            this.rate = rate;
            this.momentum = momentum;
            this.epsilon = epsilon;
            this.rho = rho;
        }

        @Override
        protected Builder self() {
            return this;
        }

        NdOptimizer build() {
            return new NdOptimizer(this);
        }
    }
}
