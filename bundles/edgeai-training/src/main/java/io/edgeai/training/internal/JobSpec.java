package io.edgeai.training.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A parsed job: how to train, on what data, through which preprocessing pipeline, and whether to promote the result
 * when it beats the active version.
 *
 * @param data where the rows come from
 * @param pipeline null, a pipeline file's name (String) or a definition (Map): fitted on the data, its features are
 *     the model's inputs, and it travels in the model archive
 */
record JobSpec(TrainSpec train, Data data, boolean autoPromote, Object pipeline) {

    JobSpec(TrainSpec train, Data data, boolean autoPromote) {
        this(train, data, autoPromote, null);
    }

    /** Where a job's rows come from. */
    sealed interface Data permits Inline, Csv, Readings {
    }

    /** Rows given in the spec itself (small sets, tests, routes). */
    record Inline(float[][] inputs, float[][] targets) implements Data {
    }

    /**
     * A CSV file with a header row; {@code inputs} and {@code targets} name its columns (targets empty for an
     * autoencoder); {@code time} (optional) the column of each row's time (epoch milliseconds or ISO-8601).
     */
    record Csv(Path file, List<String> inputs, List<String> targets, String time) implements Data {

        Csv(Path file, List<String> inputs, List<String> targets) {
            this(file, inputs, targets, null);
        }
    }

    /**
     * The gateway's recent readings of one device (the readings history), taken in [{@code from}, {@code to}) or in
     * the {@code last} period before the job starts; {@code inputs} empty: every value of its first reading.
     */
    record Readings(String device, Instant from, Instant to, Duration last, List<String> inputs,
            List<String> targets) implements Data {
    }
}
