package io.edgeai.api.anomaly;

import java.util.Map;

/**
 * What the anomaly watch made of one reading.
 *
 * @param state where the stream stands
 * @param model the stream's model (e.g. {@code anomaly-d1}); null before the stream has one
 * @param version the version of its learned forecaster that took part in the score (0 when none did: the statistical
 *     detectors alone)
 * @param score how unusual the reading is, calibrated against the stream's own recent readings, in [0, 1]: 0.5 is a
 *     reading as rare as one in 10,000 under the stream's normal behaviour, 1 one in 10^8 or rarer; the same on every
 *     stream, whatever its units or noise; NaN when not scored
 * @param threshold the score at or above which a reading opens an anomaly episode
 * @param anomaly true while an anomaly episode of the stream lasts (from the reading that opened it until the scores
 *     have been quiet for a while)
 * @param alert true only on the reading that opened an episode: one alert per episode
 * @param episode the stream's episode this reading belongs to, counted from 1 (0 outside an episode)
 * @param detector the detector that found the reading rarest, e.g. {@code level}, {@code step}, {@code discord},
 *     {@code forecast} (null when not scored)
 * @param expected the values the stream was expected to have, by name (empty when not scored)
 * @param detail e.g. {@code learning 12/27}, or why the reading was not scored; empty when there is nothing to say
 * @param contributions during an episode: which of the reading's values drove it and by how much (each value's rarity
 *     in decades: 2 = as rare as one reading in 100), largest first; empty outside episodes
 */
public record AnomalyVerdict(WatchedStream.State state, String model, int version, double score, double threshold,
        boolean anomaly, boolean alert, long episode, String detector, Map<String, Double> expected, String detail,
        Map<String, Double> contributions) {

    public AnomalyVerdict {
        expected = Map.copyOf(expected);
        contributions = contributions == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(contributions));
    }

    /** A verdict without contributions (outside an episode). */
    public AnomalyVerdict(WatchedStream.State state, String model, int version, double score, double threshold,
            boolean anomaly, boolean alert, long episode, String detector, Map<String, Double> expected,
            String detail) {
        this(state, model, version, score, threshold, anomaly, alert, episode, detector, expected, detail, Map.of());
    }

    /** True when the reading was scored. */
    public boolean scored() {
        return !Double.isNaN(score);
    }

    /** A reading that was not scored. */
    public static AnomalyVerdict unscored(WatchedStream.State state, String model, String detail) {
        return new AnomalyVerdict(state, model, 0, Double.NaN, Double.NaN, false, false, 0, null, Map.of(), detail);
    }
}
