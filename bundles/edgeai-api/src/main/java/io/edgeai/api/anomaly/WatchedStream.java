package io.edgeai.api.anomaly;

import java.time.Instant;
import java.util.List;

/**
 * One device stream as the anomaly watch sees it.
 *
 * @param deviceId the device
 * @param state where it stands
 * @param features the values it watches, in the order the model takes them
 * @param readings readings observed since the gateway started
 * @param anomalies readings flagged since the gateway started
 * @param model its model's name
 * @param version the version scoring its readings (0 before the first)
 * @param trainings training jobs finished for it since the gateway started
 * @param trained when the scoring version was calibrated (null before)
 * @param detail e.g. {@code learning 120/500}, the last training failure, or why it is not watched
 */
public record WatchedStream(String deviceId, State state, List<String> features, long readings, long anomalies,
        String model, int version, int trainings, Instant trained, String detail) {

    public WatchedStream {
        features = List.copyOf(features);
    }

    public enum State {
        /** Collecting its warm-up window (or, after a restart, the few readings its model looks back on). */
        LEARNING,
        /** Warm-up done, its first model is training. */
        TRAINING,
        /** Each reading is scored and flagged. */
        WATCHING,
        /** Not watched: too many streams, no numeric values, or a reading without a value the stream learned. */
        IGNORED
    }
}
