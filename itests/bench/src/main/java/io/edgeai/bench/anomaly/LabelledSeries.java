package io.edgeai.bench.anomaly;

import java.util.List;

/**
 * One labelled series: reading times, values by name, and the anomalies put into it, each {@code [start, end)} in
 * reading indices.
 */
record LabelledSeries(String name, long[] millis, List<String> names, double[][] values, List<int[]> anomalies,
        List<String> kinds) {

    int length() {
        return millis.length;
    }
}
