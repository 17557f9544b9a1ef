package io.edgeai.training.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed job: how to train, on what data, and whether to promote the result when it beats the active version.
 *
 * @param data where the rows come from
 */
record JobSpec(TrainSpec train, Data data, boolean autoPromote) {

    /** Where a job's rows come from. */
    sealed interface Data permits Inline, Csv {
    }

    /** Rows given in the spec itself (small sets, tests, routes). */
    record Inline(float[][] inputs, float[][] targets) implements Data {
    }

    /**
     * A CSV file with a header row; {@code inputs} and {@code targets} name its columns (targets empty for an
     * autoencoder).
     */
    record Csv(Path file, List<String> inputs, List<String> targets) implements Data {
    }
}
