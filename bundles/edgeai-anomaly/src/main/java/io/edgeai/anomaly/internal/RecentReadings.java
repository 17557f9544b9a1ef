package io.edgeai.anomaly.internal;

import io.edgeai.anomaly.internal.detect.Episodes;
import io.edgeai.anomaly.internal.detect.StreamScorer;
import java.util.List;

/** A stream's newest readings (time and values), kept to be written when the watch stops. */
final class RecentReadings {
    final long[] millis;
    final double[][] values;
    int next;
    int size;

    RecentReadings(int capacity, int width) {
        this.millis = new long[capacity];
        this.values = new double[capacity][width];
    }

    void add(long time, double[] reading) {
        if (millis.length == 0) {
            return;
        }
        millis[next] = time;
        System.arraycopy(reading, 0, values[next], 0, reading.length);
        next = (next + 1) % millis.length;
        size = Math.min(size + 1, millis.length);
    }

    WatchStore.Recent saved(List<String> features, Episodes episodes, StreamScorer scorer) {
        long[] times = new long[size];
        double[][] readings = new double[size][];
        for (int i = 0; i < size; i++) {
            int at = Math.floorMod(next - size + i, millis.length);
            times[i] = millis[at];
            readings[i] = values[at].clone();
        }
        return new WatchStore.Recent(features, times, readings, episodes.count(), episodes.open(),
                episodes.calm(), scorer.seasons());
    }
}
