package io.edgeai.anomaly.internal.detect;

/**
 * Anomaly episodes of one stream from its scores: an episode opens on a score at or above the threshold (that reading
 * is the episode's one alert), lasts while scores stay above a lower bound, and closes after {@code quiet} readings in
 * a row below it - so a level shift or a noisy stretch is one alert, not a storm.
 */
public final class Episodes {

    /** What one reading is: in an episode or not, the episode's opening reading or not. */
    public record Step(boolean anomaly, boolean alert, long episode) {
    }

    private final double threshold;
    private final double stayAbove;
    private final int quiet;
    private long episodes;
    private boolean open;
    private int calm;

    /**
     * @param threshold the score that opens an episode
     * @param stayAbove scores at or above it keep an open episode going
     * @param quiet readings in a row below {@code stayAbove} that close it
     */
    public Episodes(double threshold, double stayAbove, int quiet) {
        this.threshold = threshold;
        this.stayAbove = Math.min(stayAbove, threshold);
        this.quiet = Math.max(1, quiet);
    }

    /** The next reading's score (NaN: not scored, which neither opens nor closes an episode). */
    public Step next(double score) {
        if (Double.isNaN(score)) {
            return new Step(open, false, open ? episodes : 0);
        }
        if (!open) {
            if (score >= threshold) {
                open = true;
                episodes++;
                calm = 0;
                return new Step(true, true, episodes);
            }
            return new Step(false, false, 0);
        }
        calm = score >= stayAbove ? 0 : calm + 1;
        if (calm >= quiet) {
            open = false;
            return new Step(false, false, 0);
        }
        return new Step(true, false, episodes);
    }

    /** Episodes opened so far (the alerts). */
    public long count() {
        return episodes;
    }

    public boolean open() {
        return open;
    }

    /** Readings in a row under the bound that closes the open episode. */
    public int calm() {
        return calm;
    }

    /** Takes up where an earlier watch of the stream stopped. */
    public void restore(long count, boolean wasOpen, int wasCalm) {
        this.episodes = count;
        this.open = wasOpen;
        this.calm = wasCalm;
    }

    public double threshold() {
        return threshold;
    }
}
