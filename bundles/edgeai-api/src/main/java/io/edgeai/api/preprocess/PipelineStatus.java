package io.edgeai.api.preprocess;

import java.time.Instant;
import java.util.Map;

/**
 * A pipeline as the console and the health check show it.
 *
 * @param name the pipeline's name
 * @param source the file that defines it
 * @param state what it does now
 * @param revision the revision serving readings (0 when none ever loaded)
 * @param detail e.g. {@code learning 120/500}
 * @param definition the running definition, as JSON (null when none loaded)
 * @param fittedState what its steps learned, as JSON (null when nothing learned yet)
 * @param error why the file's latest text was refused, with the place of the problem (null when it was accepted);
 *     the previous revision keeps serving
 * @param changed when the file was last loaded or refused
 * @param counters {@code readings}, {@code features}, {@code empty} (readings that completed no features) and
 *     {@code rejected.<reason>}
 */
public record PipelineStatus(String name, String source, State state, long revision, String detail, String definition,
        String fittedState, String error, Instant changed, Map<String, Long> counters) {

    public enum State {
        /** Collecting the first readings to fit its learning steps; readings are answered without features. */
        LEARNING,
        /** Frozen and serving. */
        SERVING,
        /** Its file was refused and no earlier revision exists. */
        FAILED
    }

    public PipelineStatus {
        counters = Map.copyOf(counters);
    }
}
