package io.edgeai.api.monitoring;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A component's meters on the optional {@link Recorder}: the component creates them once, over wherever it keeps the
 * recorder (typically a dynamic, optional DS reference in a volatile field), and records on the hot path. A meter asks
 * the recorder for its histogram the first time it records on a recorder it has not seen; while there is no recorder,
 * recording costs one read of the field.
 */
public final class Meters {

    private final Supplier<Recorder> recorder;

    public Meters(Supplier<Recorder> recorder) {
        this.recorder = recorder;
    }

    /** True while a recorder is there. */
    public boolean recording() {
        return recorder.get() != null;
    }

    /** A histogram of durations in nanoseconds ({@link Recorder#timer}). */
    public Meter timer(String name, String description, String... tags) {
        return new Meter(true, name, description, tags.clone());
    }

    /** A histogram of amounts ({@link Recorder#distribution}). */
    public Meter distribution(String name, String description, String... tags) {
        return new Meter(false, name, description, tags.clone());
    }

    /** One meter of this component. */
    public final class Meter {

        private final boolean timer;
        private final String name;
        private final String description;
        private final String[] tags;
        private volatile Resolved resolved;

        private Meter(boolean timer, String name, String description, String[] tags) {
            if (tags.length % 2 != 0) {
                throw new IllegalArgumentException("tags come as key, value pairs: " + Arrays.toString(tags));
            }
            this.timer = timer;
            this.name = name;
            this.description = description;
            this.tags = tags;
        }

        /** Records a value: nanoseconds for a timer, an amount for a distribution. */
        public void record(long value) {
            Recorder current = recorder.get();
            if (current == null) {
                return;
            }
            Resolved held = resolved;
            if (held == null || held.recorder != current) {
                held = new Resolved(current, timer ? current.timer(name, description, tags)
                        : current.distribution(name, description, tags));
                resolved = held;
            }
            held.histogram.record(value);
        }

        /** Records the time since {@code startNanos} ({@link System#nanoTime()}). */
        public void since(long startNanos) {
            if (recorder.get() != null) {
                record(System.nanoTime() - startNanos);
            }
        }
    }

    private record Resolved(Recorder recorder, Recorder.Histogram histogram) {
    }
}
