package io.edgeai.api.anomaly;

import io.edgeai.api.preprocess.Features;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's embedded default: every device stream learns its own anomaly model. A stream collects a warm-up
 * window of readings, a training job fits a forecaster of its next values on it, the version is registered and
 * promoted, and its threshold is derived from the errors it makes on its own training data; from then on each
 * reading is scored and flagged, and the model is retrained on recent normal readings as the stream drifts.
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

    /** Every stream the watch knows, by device id. */
    List<WatchedStream> streams();
}
