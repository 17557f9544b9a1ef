package io.edgeai.api.anomaly;

import io.edgeai.api.preprocess.Features;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's embedded default: every device stream is watched on its own. Statistical detectors score each reading
 * from the stream's first readings on, calibrated against the stream's own recent readings; a forecaster learned on
 * the gateway (trained after a warm-up window, registered and promoted as a model version, retrained as the stream
 * drifts) joins them once trained. Scores turn into anomaly episodes with one alert each.
 */
@ProviderType
public interface AnomalyWatch {

    /**
     * One feature vector of a device stream. Readings of one device are observed one after the other, in the order
     * they were handed in; no thread waits for the model meanwhile.
     *
     * @return what the watch makes of it: a score and a flag once the stream is watched, else where it stands;
     *     never completed exceptionally (a reading that could not be scored says why)
     */
    CompletionStage<AnomalyVerdict> observe(Features features);

    /**
     * Replays a history through a watch of its own, not the device's live stream (which is left as it is): each reading
     * is scored in order, by the statistical detectors and episodes exactly as a live stream is before its forecaster
     * joins (the forecaster is not trained for a replay). Time is the readings' own. Runs on the calling thread.
     *
     * @param deviceId the device whose history it is (names the stream in the verdicts)
     * @param readings the history, oldest first
     * @param verdicts told each reading's verdict, in order
     */
    void replay(String deviceId, Iterable<Features> readings, Consumer<AnomalyVerdict> verdicts);

    /** Every stream the watch knows, by device id. */
    List<WatchedStream> streams();
}
