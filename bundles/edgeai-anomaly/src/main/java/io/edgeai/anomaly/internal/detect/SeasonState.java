package io.edgeai.anomaly.internal.detect;

/**
 * A value's daily or weekly cycle as it stood when the watch stopped, written with the stream's recent readings so that
 * the next watch takes the cycle up instead of learning it again for two periods.
 *
 * @param first the time of the first reading the cycle saw (epoch milliseconds)
 * @param hours each hour's newest readings, oldest first (24 hours for a day, 168 for a week; null for an hour never
 *     seen)
 * @param departures the newest departures from the hours' medians, oldest first
 */
public record SeasonState(long first, double[][] hours, double[] departures) {
}
