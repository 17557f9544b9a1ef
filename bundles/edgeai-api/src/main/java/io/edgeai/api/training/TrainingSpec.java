package io.edgeai.api.training;

import java.util.Map;
import java.util.Objects;

/**
 * What to train and how.
 *
 * @param model the model name the result is registered under
 * @param architecture a registered architecture, e.g. {@code linear}, {@code mlp-regressor}, {@code autoencoder}
 * @param architectureOptions options of the architecture (layer sizes, ...)
 * @param optimizer {@code sgd}, {@code momentum}, {@code nesterov}, {@code adagrad}, {@code rmsprop} or {@code adam}
 * @param learningRate the initial learning rate
 * @param epochs the maximum number of epochs
 * @param batchSize samples per step
 * @param validationSplit share of the data held out for validation, in [0, 1)
 * @param seed random seed, for reproducible runs
 * @param data where the data comes from, e.g. {@code csv:/path}, {@code readings:device?from=...}, {@code route}
 */
public record TrainingSpec(
        String model, String architecture, Map<String, String> architectureOptions, String optimizer,
        double learningRate, int epochs, int batchSize, double validationSplit, long seed, String data) {

    public TrainingSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(architecture, "architecture");
        architectureOptions = Map.copyOf(architectureOptions);
    }
}
