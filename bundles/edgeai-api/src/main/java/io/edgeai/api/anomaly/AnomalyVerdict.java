package io.edgeai.api.anomaly;

import java.util.Map;

/**
 * What the anomaly watch made of one reading.
 *
 * @param state where the stream stands
 * @param model the stream's model (e.g. {@code anomaly-d1}); null before its first version
 * @param version the version that scored the reading (0 when none did)
 * @param score how far the reading is from what the model expected, in units of the largest error it made on normal
 *     training readings (its 99.9th percentile): about 1 or below is normal; NaN when not scored
 * @param threshold the score above which a reading is an anomaly
 * @param anomaly {@code score > threshold}
 * @param expected the values the model expected, by name (empty when not scored)
 * @param detail e.g. {@code learning 120/500}, or why the reading was not scored
 */
public record AnomalyVerdict(WatchedStream.State state, String model, int version, double score, double threshold,
        boolean anomaly, Map<String, Double> expected, String detail) {

    public AnomalyVerdict {
        expected = Map.copyOf(expected);
    }

    /** True when the reading was scored. */
    public boolean scored() {
        return state == WatchedStream.State.WATCHING && !Double.isNaN(score);
    }

    /** A reading that was not scored. */
    public static AnomalyVerdict unscored(WatchedStream.State state, String model, String detail) {
        return new AnomalyVerdict(state, model, 0, Double.NaN, Double.NaN, false, Map.of(), detail);
    }
}
