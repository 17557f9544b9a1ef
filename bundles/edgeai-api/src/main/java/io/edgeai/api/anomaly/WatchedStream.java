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
 * @param alerts anomaly episodes it opened since the gateway started (one alert each)
 * @param model its model's name
 * @param version the version of its learned forecaster taking part in its scores (0 before the first)
 * @param trainings training jobs finished for it since the gateway started
 * @param trained when the scoring version was calibrated (null before)
 * @param detail e.g. {@code learning 120/500}, the last training failure, or why it is not watched
 */
public record WatchedStream(String deviceId, State state, List<String> features, long readings, long alerts,
        String model, int version, int trainings, Instant trained, String detail) {

    public WatchedStream {
        features = List.copyOf(features);
    }

    public enum State {
        /** Collecting the few readings its statistical detectors need before they score. */
        LEARNING,
        /** Scored by its statistical detectors while its first learned forecaster trains. */
        TRAINING,
        /** Each reading is scored. */
        WATCHING,
        /** Not watched: too many streams, no numeric values, or a reading without a value the stream learned. */
        IGNORED
    }
}
