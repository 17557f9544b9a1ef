package io.edgeai.training.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The built-in architectures as DJL blocks. Each has a training block (what the loss sees) and a serving block (what
 * a served version computes, one output row per input row), sharing their parameters.
 */
final class Architectures {

    static final List<String> NAMES = List.of("linear", "mlp", "mlp-classifier", "autoencoder");

    private Architectures() {
    }

    /** A built architecture: the block trained, the block served (may be the same) and the loss it trains with. */
    record Built(Block training, Block serving, String defaultLoss, int outputs) {
    }

    /**
     * Builds {@code spec.architecture()} for rows of {@code inputs} values and {@code outputs} targets (classes for
     * the classifier; ignored by the autoencoder, which reconstructs its inputs).
     */
    static Built build(TrainSpec spec, int inputs, int outputs) {
        Function<NDList, NDList> activation = activation(spec.activation());
        switch (spec.architecture() == null ? "" : spec.architecture()) {
            case "linear": {
                if (!spec.hidden().isEmpty()) {
                    throw new InvalidSpecException("hidden: a linear model has no hidden layers (use mlp)");
                }
                Block linear = Linear.builder().setUnits(outputs).build();
                return new Built(linear, linear, "mse", outputs);
            }
            case "mlp": {
                Block mlp = mlp(spec.hidden(), activation, outputs);
                return new Built(mlp, mlp, "mse", outputs);
            }
            case "mlp-classifier": {
                if (outputs < 2) {
                    throw new InvalidSpecException("a classifier needs at least 2 classes, the data has " + outputs);
                }
                Block logits = mlp(spec.hidden(), activation, outputs);
                // served: class probabilities (softmax over the logits the loss trains)
                SequentialBlock probabilities = new SequentialBlock().add(logits)
                        .add(new LambdaBlock(list -> new NDList(list.singletonOrThrow().softmax(1)), "softmax"));
                return new Built(logits, probabilities, "cross-entropy", outputs);
            }
            case "autoencoder": {
                if (spec.hidden().isEmpty()) {
                    throw new InvalidSpecException("hidden: an autoencoder needs at least its bottleneck width");
                }
                List<Integer> layers = new ArrayList<>(spec.hidden());
                for (int i = spec.hidden().size() - 2; i >= 0; i--) {
                    layers.add(spec.hidden().get(i)); // the decoder mirrors the encoder
                }
                Block reconstruct = mlp(layers, activation, inputs);
                // served: the reconstruction error of each row, its anomaly score
                SequentialBlock score = new SequentialBlock()
                        .add(new ParallelBlock(Architectures::squaredError, List.of(reconstruct,
                                Blocks.identityBlock())));
                return new Built(reconstruct, score, "mse", 1);
            }
            default:
                throw new InvalidSpecException("architecture: unknown '" + spec.architecture() + "' (known: "
                        + String.join(", ", NAMES) + ")");
        }
    }

    private static NDList squaredError(List<NDList> outputs) {
        NDArray reconstruction = outputs.get(0).singletonOrThrow();
        NDArray input = outputs.get(1).singletonOrThrow();
        return new NDList(reconstruction.sub(input).square().mean(new int[] {1}, true));
    }

    private static Block mlp(List<Integer> hidden, Function<NDList, NDList> activation, int outputs) {
        SequentialBlock block = new SequentialBlock();
        for (int width : hidden) {
            block.add(Linear.builder().setUnits(width).build()).add(activation);
        }
        return block.add(Linear.builder().setUnits(outputs).build());
    }

    private static Function<NDList, NDList> activation(String name) {
        return switch (name) {
            case "relu" -> Activation::relu;
            case "tanh" -> Activation::tanh;
            case "sigmoid" -> Activation::sigmoid;
            default -> throw new InvalidSpecException("activation: unknown '" + name
                    + "' (known: relu, tanh, sigmoid)");
        };
    }
}
