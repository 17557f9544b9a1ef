package io.edgeai.djl.explain;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The gate to the engine's gradients: DJL's PyTorch engine allows one {@code GradientCollector} per JVM at a time (a
 * second throws), so training and explanations take turns here. Training holds it for one batch at a time, so an
 * explanation waits at most one batch, not a whole training job; the gate is fair (first come, first served).
 */
public final class Gradients {

    private static final ReentrantLock GATE = new ReentrantLock(true);

    private Gradients() {
    }

    /** Runs {@code work} (which opens and closes its collector) holding the gate. */
    public static <T> T exclusive(Supplier<T> work) {
        GATE.lock();
        try {
            return work.get();
        } finally {
            GATE.unlock();
        }
    }
}
