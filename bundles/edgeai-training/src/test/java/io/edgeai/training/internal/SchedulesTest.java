package io.edgeai.training.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import ai.djl.training.tracker.Tracker;
import org.junit.Test;

/** Learning-rate schedules are given in epochs and run in optimizer updates (here 10 updates an epoch). */
public class SchedulesTest {

    private static final int PER_EPOCH = 10;

    private static float at(Tracker rate, int epoch) {
        return rate.getNewValue(epoch * PER_EPOCH);
    }

    @Test
    public void stepMultipliesEveryStepEpochs() {
        Tracker rate = Optimizers.rate(0.1, new ScheduleSpec("step", 3, 0.5, 0, 0), 10, PER_EPOCH);
        assertEquals(0.1, at(rate, 0), 1e-7);
        assertEquals(0.1, at(rate, 2), 1e-7);
        assertEquals(0.05, at(rate, 4), 1e-7);
        assertEquals(0.025, at(rate, 7), 1e-7);
    }

    @Test
    public void exponentialMultipliesByTheFactorEachEpoch() {
        Tracker rate = Optimizers.rate(0.1, new ScheduleSpec("exponential", 0, 0.9, 0, 0), 10, PER_EPOCH);
        assertEquals(0.1 * Math.pow(0.9, 5), at(rate, 5), 1e-6);
    }

    @Test
    public void cosineEndsAtTheFinalShareAndWarmUpRampsFromZero() {
        Tracker cosine = Optimizers.rate(0.1, new ScheduleSpec("cosine", 0, 1, 0.1, 0), 10, PER_EPOCH);
        assertEquals(0.1, at(cosine, 0), 1e-7);
        assertEquals(0.055, at(cosine, 5), 1e-4); // halfway: the mean of start and end
        assertEquals(0.01, at(cosine, 10), 1e-6);
        Tracker warm = Optimizers.rate(0.1, new ScheduleSpec("constant", 0, 1, 0, 2), 10, PER_EPOCH);
        assertEquals(0.0, warm.getNewValue(0), 1e-7);
        assertEquals(0.05, at(warm, 1), 1e-6);
        assertEquals(0.1, at(warm, 3), 1e-7);
    }

    @Test
    public void badSchedulesAreRefused() {
        assertEquals("schedule: unknown type 'linear' (known: constant, step, exponential, cosine)",
                assertThrows(InvalidSpecException.class, () -> new ScheduleSpec("linear", 0, 1, 0, 0).check(10))
                        .getMessage());
        assertEquals("schedule.stepEpochs: 0 (1 or more for type step)", assertThrows(InvalidSpecException.class,
                () -> new ScheduleSpec("step", 0, 0.5, 0, 0).check(10)).getMessage());
        assertEquals("schedule.warmupEpochs: 10 (0 to below epochs)", assertThrows(InvalidSpecException.class,
                () -> new ScheduleSpec("constant", 0, 1, 0, 10).check(10)).getMessage());
    }
}
