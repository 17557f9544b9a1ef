package io.edgeai.anomaly.internal;

import io.edgeai.anomaly.internal.detect.Episodes;
import io.edgeai.anomaly.internal.detect.StreamScorer;
import io.edgeai.api.anomaly.AnomalyVerdict;
import io.edgeai.api.anomaly.WatchedStream.State;
import io.edgeai.api.preprocess.Features;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One device's stream and what the watch does with it. */
final class DeviceStream {
    final String device;
    final String model;
    final StreamWatch watch;
    final StreamScorer scorer;
    final Episodes episodes;
    String job;
    StreamWatch.TrainingSet pending;
    long notBefore = Long.MIN_VALUE; // reading time before which no training is submitted
    long pacedAt = Long.MIN_VALUE; // the reading time notBefore was set at
    long lastMillis; // the newest reading's time
    int version;
    volatile long readings; // written by one reading at a time (the stream's chain), read by the meters
    volatile long alerts;
    boolean replay; // a history replayed: never trained
    final RecentReadings recent;
    int trainings;
    Instant trained;
    String detail = "";
    CompletableFuture<AnomalyVerdict> tail = CompletableFuture.completedFuture(null);

    DeviceStream(String device, String model, StreamWatch watch, StreamScorer scorer, Episodes episodes, int recent) {
        this.device = device;
        this.model = model;
        this.watch = watch;
        this.scorer = scorer;
        this.episodes = episodes;
        this.recent = new RecentReadings(recent, watch.features().size());
    }

    /** The stream's values of a reading, in the stream's order; null when one is missing or not finite. */
    double[] values(Features features) {
        double[] values = new double[watch.features().size()];
        for (int f = 0; f < values.length; f++) {
            int at = features.names().indexOf(watch.features().get(f));
            float value = at < 0 ? Float.NaN : features.values()[at];
            if (!Float.isFinite(value)) {
                return null;
            }
            values[f] = value;
        }
        return values;
    }

    /** The verdict on a reading that lacks one of the stream's values: not scored, saying which. */
    AnomalyVerdict missing(Features features) {
        String absent = watch.features().stream().filter(name -> {
            int at = features.names().indexOf(name);
            return at < 0 || !Float.isFinite(features.values()[at]);
        }).findFirst().orElse("?");
        return AnomalyVerdict.unscored(State.IGNORED, model, "not scored: the stream is watched on "
                + watch.features() + " and this reading has no finite '" + absent + "'");
    }

    /**
     * Takes the stream up where a previous watch stopped: its newest readings through its detectors again (as history,
     * without verdicts; into its forecaster's history too when there is one), its episodes as they were, its daily and
     * weekly cycles as they were (a cycle needs two days or weeks of readings, far more than the recent ones kept).
     */
    void takeUp(WatchStore.Recent kept, boolean forecaster) {
        boolean seasons = scorer.restoreSeasons(kept.seasons());
        for (int i = 0; i < kept.millis().length; i++) {
            scorer.history(kept.values()[i], kept.millis()[i], seasons);
            if (forecaster) {
                watch.remember(kept.values()[i]);
            }
            recent.add(kept.millis()[i], kept.values()[i]);
        }
        episodes.restore(kept.episodes(), kept.open(), kept.calm());
    }
}
