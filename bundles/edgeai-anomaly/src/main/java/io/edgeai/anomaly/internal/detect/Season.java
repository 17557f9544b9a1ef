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
        return measure(x, millis, true);
    }

    /**
     * The same; with {@code learn} false the reading is measured but not kept (a reading the cycle already holds, as
     * when a stream's recent readings are run through its detectors again after {@link #restore}).
     */
    double measure(double x, long millis, boolean learn) {
        if (firstMillis == Long.MIN_VALUE) {
            firstMillis = millis;
        }
        int hour = (int) (Math.floorMod(millis, period) / 3_600_000L);
        Ring bin = hours[hour];
        if (bin == null) {
            if (!learn) {
                return Double.NaN;
            }
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
            if (learn) {
                departures.add(departure);
            }
        }
        if (learn) {
            bin.add(x);
        }
        return raw;
    }

    /** The cycle as it stands; null before its first reading. */
    SeasonState saved() {
        if (firstMillis == Long.MIN_VALUE) {
            return null;
        }
        double[][] kept = new double[hours.length][];
        for (int h = 0; h < hours.length; h++) {
            if (hours[h] != null) {
                kept[h] = new double[hours[h].size()];
                hours[h].newest(BIN, kept[h]);
            }
        }
        double[] recent = new double[departures.size()];
        for (int i = 0; i < recent.length; i++) {
            recent[i] = departures.arrival(i);
        }
        return new SeasonState(firstMillis, kept, recent);
    }

    /**
     * Takes up a cycle written by {@link #saved}, before any reading of its own; false (and nothing changed) when this
     * cycle already saw readings or the saved one is not of this period: a different number of hours, more readings
     * per hour or departures than are kept, values that are not finite.
     */
    boolean restore(SeasonState saved) {
        if (!accepts(saved)) {
            return false;
        }
        firstMillis = saved.first();
        for (int h = 0; h < hours.length; h++) {
            hours[h] = null;
            if (saved.hours()[h] != null) {
                hours[h] = new Ring(BIN);
                for (double x : saved.hours()[h]) {
                    hours[h].add(x);
                }
            }
        }
        for (double departure : saved.departures()) {
            departures.add(departure);
        }
        return true;
    }

    /** Whether {@link #restore} would take {@code saved} up. */
    boolean accepts(SeasonState saved) {
        if (firstMillis != Long.MIN_VALUE || saved == null || saved.hours() == null
                || saved.hours().length != hours.length || saved.departures() == null
                || saved.departures().length > DEPARTURES || !finite(saved.departures())) {
            return false;
        }
        for (double[] hour : saved.hours()) {
            if (hour != null && (hour.length > BIN || !finite(hour))) {
                return false;
            }
        }
        return true;
    }

    private static boolean finite(double[] values) {
        for (double x : values) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
