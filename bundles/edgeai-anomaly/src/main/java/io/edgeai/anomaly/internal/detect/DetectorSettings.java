package io.edgeai.anomaly.internal.detect;

/**
 * How the statistical detectors look at a stream (etc/io.edgeai.anomaly.cfg).
 *
 * @param window the newest readings a value's typical level and spread are taken from (median, MAD)
 * @param shortWindow the newest readings a level shift is judged on (their median)
 * @param spreadWindow the newest readings a change of spread is judged on (their MAD)
 * @param subsequence readings in one shape the discord detector compares (z-normalised)
 * @param references earlier shapes the newest one is compared with
 * @param calibration the newest raw measures each detector's scores are calibrated against
 * @param minCalibration raw measures a detector needs before it scores
 */
public record DetectorSettings(int window, int shortWindow, int spreadWindow, int subsequence, int references,
        int calibration, int minCalibration) {

    /** The shipped defaults. */
    public static final DetectorSettings DEFAULTS = new DetectorSettings(64, 5, 16, 16, 256, 1024, 16);

    public DetectorSettings {
        if (window < 8 || shortWindow < 1 || shortWindow >= window || spreadWindow < 4 || spreadWindow >= window
                || subsequence < 4 || references < 8 || calibration < 64 || minCalibration < 8
                || minCalibration > calibration) {
            throw new IllegalArgumentException("anomaly detectors: window >= 8, 1 <= shortWindow < window, 4 <="
                    + " spreadWindow < window, subsequence >= 4, references >= 8, calibration >= 64, 8 <="
                    + " minCalibration <= calibration");
        }
    }

    /**
     * The reading of a stream that is scored first: after the level's first window, its calibration's minimum of
     * measures.
     */
    public int firstScore() {
        return MIN_LEVEL + minCalibration + 1;
    }

    /** Values a level needs before it is measured. */
    static final int MIN_LEVEL = 10;
}
