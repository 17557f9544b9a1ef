package io.edgeai.training.internal;

import java.util.List;

/**
 * How the learning rate changes over the run, in epochs: {@code constant}; {@code step} (times {@code factor} every
 * {@code stepEpochs}); {@code exponential} (times {@code factor} each epoch, smoothly); {@code cosine} (down to
 * {@code finalRate} times the initial rate at the last epoch). {@code warmupEpochs} first ramps up linearly from 0.
 */
record ScheduleSpec(String type, int stepEpochs, double factor, double finalRate, int warmupEpochs) {

    static final List<String> TYPES = List.of("constant", "step", "exponential", "cosine");
    static final ScheduleSpec CONSTANT = new ScheduleSpec("constant", 0, 1, 0, 0);

    void check(int epochs) {
        if (type == null || !TYPES.contains(type)) {
            throw new InvalidSpecException("schedule: unknown type '" + type + "' (known: " + String.join(", ", TYPES)
                    + ")");
        }
        if ("step".equals(type) && stepEpochs < 1) {
            throw new InvalidSpecException("schedule.stepEpochs: " + stepEpochs + " (1 or more for type step)");
        }
        if (("step".equals(type) || "exponential".equals(type)) && !(factor > 0 && factor <= 1)) {
            throw new InvalidSpecException("schedule.factor: " + factor + " (above 0, at most 1)");
        }
        if (!(finalRate >= 0 && finalRate <= 1)) {
            throw new InvalidSpecException("schedule.finalRate: " + finalRate + " (0 to 1, a share of the rate)");
        }
        if (warmupEpochs < 0 || warmupEpochs >= epochs) {
            throw new InvalidSpecException("schedule.warmupEpochs: " + warmupEpochs + " (0 to below epochs)");
        }
    }
}
