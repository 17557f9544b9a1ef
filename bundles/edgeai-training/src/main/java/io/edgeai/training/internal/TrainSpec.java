package io.edgeai.training.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to train one model, checked before anything runs ({@link #check}): the architecture and its settings, the loss,
 * the optimizer with its learning-rate schedule, epochs, batch size, the share held out for validation, early
 * stopping and the seed that makes a run reproducible.
 *
 * @param architecture the architecture's settings as model.json keeps them: {@code name} ({@code linear}, {@code mlp},
 *     {@code mlp-classifier}, {@code autoencoder} or a whiteboard architecture's), and its own settings (built-in:
 *     {@code hidden}, {@code activation})
 * @param loss {@code mse}, {@code mae}, {@code cross-entropy}, or empty for the architecture's own
 * @param patience epochs without improvement of the validation loss by {@code minDelta} before stopping; 0: never
 */
record TrainSpec(Map<String, Object> architecture, String loss, OptimizerSpec optimizer, ScheduleSpec schedule,
        int epochs, int batchSize, double validationSplit, int patience, double minDelta, long seed) {

    TrainSpec {
        architecture = architecture == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(architecture));
        loss = loss == null ? "" : loss;
        optimizer = optimizer == null ? OptimizerSpec.of("adam", 0.001) : optimizer;
        schedule = schedule == null ? ScheduleSpec.CONSTANT : schedule;
    }

    /** A spec with the defaults: Adam 0.001, constant rate, 100 epochs of 32, 20 % validation, patience 10, seed 1. */
    static TrainSpec of(String architecture, List<Integer> hidden) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("name", architecture);
        if (!hidden.isEmpty()) {
            settings.put("hidden", hidden);
        }
        return new TrainSpec(settings, "", null, null, 100, 32, 0.2, 10, 0.0, 1);
    }

    String architectureName() {
        return String.valueOf(architecture.get("name"));
    }

    TrainSpec withSetting(String key, Object value) {
        Map<String, Object> settings = new LinkedHashMap<>(architecture);
        settings.put(key, value);
        return new TrainSpec(settings, loss, optimizer, schedule, epochs, batchSize, validationSplit, patience,
                minDelta, seed);
    }

    TrainSpec withOptimizer(OptimizerSpec value) {
        return new TrainSpec(architecture, loss, value, schedule, epochs, batchSize, validationSplit, patience,
                minDelta, seed);
    }

    TrainSpec withSchedule(ScheduleSpec value) {
        return new TrainSpec(architecture, loss, optimizer, value, epochs, batchSize, validationSplit, patience,
                minDelta, seed);
    }

    TrainSpec withRun(int epochsValue, int batchSizeValue, double validationValue, int patienceValue) {
        return new TrainSpec(architecture, loss, optimizer, schedule, epochsValue, batchSizeValue, validationValue,
                patienceValue, minDelta, seed);
    }

    TrainSpec withSeed(long value) {
        return new TrainSpec(architecture, loss, optimizer, schedule, epochs, batchSize, validationSplit, patience,
                minDelta, value);
    }

    /** Refuses a spec that cannot run, naming the field and what it may be (the architecture checks its own). */
    void check() {
        if (!(architecture.get("name") instanceof String)) {
            throw new InvalidSpecException("architecture.name: missing (e.g. {\"name\": \"mlp\", \"hidden\": [32]})");
        }
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
            throw new InvalidSpecException("earlyStopping.patience: " + patience + " (0 = no early stopping)");
        }
        if (!(minDelta >= 0)) {
            throw new InvalidSpecException("earlyStopping.minDelta: " + minDelta + " (0 or more)");
        }
        optimizer.check();
        schedule.check(epochs);
    }
}
