package io.edgeai.training.internal;

import java.util.List;

/**
 * How to train one model, checked before anything runs ({@link #check}): the architecture and its layers, the loss,
 * the optimizer with its learning-rate schedule, epochs, batch size, the share held out for validation, early
 * stopping and the seed that makes a run reproducible.
 *
 * @param architecture {@code linear}, {@code mlp}, {@code mlp-classifier}, {@code autoencoder}
 * @param hidden hidden layer widths (mlp: each layer; autoencoder: encoder down to the bottleneck, mirrored)
 * @param activation {@code relu}, {@code tanh}, {@code sigmoid}
 * @param loss {@code mse}, {@code mae}, {@code cross-entropy} (classifier), or empty for the architecture's own
 * @param patience epochs without improvement of the validation loss by {@code minDelta} before stopping; 0: never
 */
record TrainSpec(String architecture, List<Integer> hidden, String activation, String loss, OptimizerSpec optimizer,
        ScheduleSpec schedule, int epochs, int batchSize, double validationSplit, int patience, double minDelta,
        long seed) {

    TrainSpec {
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        activation = activation == null || activation.isBlank() ? "relu" : activation;
        loss = loss == null ? "" : loss;
        optimizer = optimizer == null ? OptimizerSpec.of("adam", 0.001) : optimizer;
        schedule = schedule == null ? ScheduleSpec.CONSTANT : schedule;
    }

    /** A spec with the defaults: Adam 0.001, constant rate, 100 epochs of 32, 20 % validation, patience 10, seed 1. */
    static TrainSpec of(String architecture, List<Integer> hidden) {
        return new TrainSpec(architecture, hidden, "relu", "", null, null, 100, 32, 0.2, 10, 0.0, 1);
    }

    TrainSpec withOptimizer(OptimizerSpec value) {
        return new TrainSpec(architecture, hidden, activation, loss, value, schedule, epochs, batchSize,
                validationSplit, patience, minDelta, seed);
    }

    TrainSpec withSchedule(ScheduleSpec value) {
        return new TrainSpec(architecture, hidden, activation, loss, optimizer, value, epochs, batchSize,
                validationSplit, patience, minDelta, seed);
    }

    TrainSpec withRun(int epochsValue, int batchSizeValue, double validationValue, int patienceValue) {
        return new TrainSpec(architecture, hidden, activation, loss, optimizer, schedule, epochsValue, batchSizeValue,
                validationValue, patienceValue, minDelta, seed);
    }

    TrainSpec withSeed(long value) {
        return new TrainSpec(architecture, hidden, activation, loss, optimizer, schedule, epochs, batchSize,
                validationSplit, patience, minDelta, value);
    }

    /** The {@code "architecture"} object of model.json: what serving needs to rebuild the block. */
    java.util.Map<String, Object> architectureSettings() {
        java.util.Map<String, Object> settings = new java.util.LinkedHashMap<>();
        settings.put("name", architecture);
        if (!hidden.isEmpty()) {
            settings.put("hidden", hidden);
        }
        settings.put("activation", activation);
        return settings;
    }

    /** Refuses a spec that cannot run, naming the field and what it may be. */
    void check() {
        if (epochs < 1 || epochs > 1_000_000) {
            throw new InvalidSpecException("epochs: " + epochs + " (1 to 1000000)");
        }
        if (batchSize < 1 || batchSize > 65_536) {
            throw new InvalidSpecException("batchSize: " + batchSize + " (1 to 65536)");
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new InvalidSpecException("validationSplit: " + validationSplit + " (0 to below 1)");
        }
        if (patience < 0) {
            throw new InvalidSpecException("patience: " + patience + " (0 = no early stopping)");
        }
        if (!(minDelta >= 0)) {
            throw new InvalidSpecException("minDelta: " + minDelta + " (0 or more)");
        }
        for (int width : hidden) {
            if (width < 1 || width > 65_536) {
                throw new InvalidSpecException("hidden: layer width " + width + " (1 to 65536)");
            }
        }
        optimizer.check();
        schedule.check(epochs);
    }
}
