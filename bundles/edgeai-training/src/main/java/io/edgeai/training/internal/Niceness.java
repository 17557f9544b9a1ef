package io.edgeai.training.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's CPU priority on Linux, so that training takes the cores inference leaves idle and gives
 * them back at once: the thread's own id from {@code /proc/thread-self}, then at niceness 19 the SCHED_IDLE policy
 * ({@code chrt --idle}: the scheduler runs the thread only on otherwise idle cores and preempts it for any other
 * thread), below that {@code renice}. Both tools are util-linux; lowering a priority needs no privilege. Threads the
 * engine starts from this one inherit it. Elsewhere, or when that fails, training runs at normal priority and says
 * so.
 */
final class Niceness {

    private static final Logger LOG = LoggerFactory.getLogger(Niceness.class);

    private Niceness() {
    }

    static void lower(int niceness) {
        if (niceness <= 0) {
            return;
        }
        int value = Math.min(19, niceness);
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
            String tid = self.getFileName().toString();
            Process renice = new ProcessBuilder(value == 19 ? new String[] {"chrt", "--idle", "-p", "0", tid}
                    : new String[] {"renice", "-n", Integer.toString(value), "-p", tid}).redirectErrorStream(true)
                    .start();
            String said = new String(renice.getInputStream().readAllBytes()).trim();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                LOG.warn("Training thread {} keeps its priority: {} said '{}'", tid, value == 19 ? "chrt" : "renice",
                        said);
            } else {
                LOG.info("Training thread {} runs {}", tid, value == 19 ? "only on idle cores (SCHED_IDLE)"
                        : "at nice " + value);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("Training runs at normal priority (no /proc/thread-self or renice here: {})", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
