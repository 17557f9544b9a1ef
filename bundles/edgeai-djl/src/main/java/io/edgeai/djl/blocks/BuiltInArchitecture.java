package io.edgeai.djl.blocks;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The architectures every gateway has. Settings: {@code hidden} (layer widths), {@code activation} ({@code relu},
 * {@code tanh}, {@code sigmoid}).
 * <ul>
 * <li>{@code linear}: y = Wx + b (no hidden layers).</li>
 * <li>{@code mlp}: a regressor, hidden layers with the activation, a linear output.</li>
 * <li>{@code mlp-classifier}: trained on logits with cross-entropy; served as class probabilities (softmax).</li>
 * <li>{@code autoencoder}: {@code hidden} from the first layer down to the bottleneck, the decoder mirrors it; trained
 * to reconstruct its input; served as one anomaly score per row, the mean squared reconstruction error.</li>
 * </ul>
 */
public enum BuiltInArchitecture implements Architecture {
    LINEAR("linear"),
    MLP("mlp"),
    MLP_CLASSIFIER("mlp-classifier"),
    AUTOENCODER("autoencoder");

    private static final Set<String> SETTINGS = Set.of("name", "hidden", "activation");
    private final String id;

    BuiltInArchitecture(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The built-in architecture of that name. */
    public static Optional<BuiltInArchitecture> named(String name) {
        return Arrays.stream(values()).filter(a -> a.id.equals(name)).findFirst();
    }

    /** The built-in names, in order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(a -> a.id).toList();
    }

    /** The built-in architectures alone as a catalog: for training and serving outside OSGi (tests, benchmarks). */
    public static ArchitectureCatalog catalog() {
        return new ArchitectureCatalog() {
            @Override
            public List<String> names() {
                return BuiltInArchitecture.names();
            }

            @Override
            public BuiltBlocks build(Map<String, Object> settings, int inputs, int outputs) {
                Object name = settings.get("name");
                return named(String.valueOf(name)).orElseThrow(() -> ArchitectureCatalog.unknown(name, names()))
                        .build(settings, inputs, outputs);
            }
        };
    }

    @Override
    public BuiltBlocks build(Map<String, Object> settings, int inputs, int outputs) {
        for (String key : settings.keySet()) {
            if (!SETTINGS.contains(key)) {
                throw new IllegalArgumentException("architecture." + key + ": unknown setting for " + id
                        + " (known: hidden, activation)");
            }
        }
        List<Integer> hidden = hidden(settings.get("hidden"));
        Function<NDList, NDList> activation = activation(settings.getOrDefault("activation", "relu"));
        switch (this) {
            case LINEAR: {
                if (!hidden.isEmpty()) {
                    throw new IllegalArgumentException("architecture.hidden: a linear model has no hidden layers"
                            + " (use mlp)");
                }
                Block linear = Linear.builder().setUnits(outputs).build();
                return new BuiltBlocks(linear, linear, "mse", outputs);
            }
            case MLP: {
                Block mlp = mlp(hidden, activation, outputs);
                return new BuiltBlocks(mlp, mlp, "mse", outputs);
            }
            case MLP_CLASSIFIER: {
                if (outputs < 2) {
                    throw new IllegalArgumentException("a classifier needs at least 2 classes, not " + outputs);
                }
                Block logits = mlp(hidden, activation, outputs);
                SequentialBlock probabilities = new SequentialBlock().add(logits)
                        .add(new LambdaBlock(list -> new NDList(list.singletonOrThrow().softmax(1)), "softmax"));
                return new BuiltBlocks(logits, probabilities, "cross-entropy", outputs);
            }
            default: {
                if (hidden.isEmpty()) {
                    throw new IllegalArgumentException("architecture.hidden: an autoencoder needs at least its"
                            + " bottleneck width");
                }
                List<Integer> layers = new ArrayList<>(hidden);
                for (int i = hidden.size() - 2; i >= 0; i--) {
                    layers.add(hidden.get(i));
                }
                Block reconstruct = mlp(layers, activation, inputs);
                SequentialBlock score = new SequentialBlock().add(new ParallelBlock(BuiltInArchitecture::squaredError,
                        List.of(reconstruct, Blocks.identityBlock())));
                return new BuiltBlocks(reconstruct, score, "mse", 1);
            }
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

    private static List<Integer> hidden(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("architecture.hidden: a list of layer widths, e.g. [32, 16]");
        }
        List<Integer> widths = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 1
                    || n.intValue() > 65_536) {
                throw new IllegalArgumentException("architecture.hidden: layer width " + item + " (1 to 65536)");
            }
            widths.add(n.intValue());
        }
        return widths;
    }

    private static Function<NDList, NDList> activation(Object name) {
        return switch (String.valueOf(name)) {
            case "relu" -> Activation::relu;
            case "tanh" -> Activation::tanh;
            case "sigmoid" -> Activation::sigmoid;
            default -> throw new IllegalArgumentException("architecture.activation: unknown '" + name
                    + "' (known: relu, tanh, sigmoid)");
        };
    }
}
