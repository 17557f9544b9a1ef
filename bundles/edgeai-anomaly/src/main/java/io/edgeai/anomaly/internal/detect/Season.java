package io.edgeai.anomaly.internal.detect;

import java.util.Arrays;

/**
 * A value's cycle over reading time: the readings of each hour of the period (UTC; 24 bins for a day, 168 for a
 * week), and how far a reading departs from its hour's median against the recent departures of all hours - weather,
 * not the clock. It measures once the stream spans two periods and the reading's hour has {@value #MIN} readings of
 * its own; an hour's bin is made when its first reading comes, so a stream that reads once a day keeps one bin of the
 * daily cycle and seven of the weekly one.
 */
final class Season {

    static final long DAY = 86_400_000L;
    static final long WEEK = 7 * DAY;

    private static final int BIN = 16;
    private static final int MIN = 6;
    private static final int DEPARTURES = 128;

    private final long period;
    private final Ring[] hours;
    private final SortedWindow departures = new SortedWindow(DEPARTURES);
    private final double[] binWork = new double[BIN];
    private long firstMillis = Long.MIN_VALUE;

    Season(long period) {
        this.period = period;
        this.hours = new Ring[(int) (period / 3_600_000L)];
    }

    /** The departure of {@code x} at {@code millis} in robust units of the recent departures; NaN while it cannot tell. */
    double measure(double x, long millis) {
        if (firstMillis == Long.MIN_VALUE) {
            firstMillis = millis;
        }
        int hour = (int) (Math.floorMod(millis, period) / 3_600_000L);
        Ring bin = hours[hour];
        if (bin == null) {
            bin = hours[hour] = new Ring(BIN);
        }
        double raw = Double.NaN;
        if (millis - firstMillis >= 2 * period && bin.size() >= MIN) {
            int n = bin.newest(BIN, binWork);
            Arrays.sort(binWork, 0, n);
            double departure = x - Ring.median(binWork, n);
            if (departures.size() >= DetectorSettings.MIN_LEVEL) {
                double median = departures.median();
                raw = Math.abs(departure - median) / ValueDetectors.floor(1.4826 * departures.mad(median), x);
            }
            departures.add(departure);
        }
        bin.add(x);
        return raw;
    }
}
