package io.edgeai.anomaly.internal.detect;


/**
 * The statistical detectors of one value of a stream, each a raw anomaly measure of its newest reading (larger is more
 * unusual; NaN while a detector cannot tell yet), all in units of the value's own robust spread so that they mean the
 * same on every value:
 * <ul>
 * <li>{@code level}: how far the reading is from the median of the readings before it (robust z: |x - median| / 1.4826
 * MAD) - spikes and dips;</li>
 * <li>{@code shift}: the same for the median of the newest {@code shortWindow} readings - a level shift, which a
 * single spike does not make;</li>
 * <li>{@code spread}: |log| of the ratio of the newest {@code spreadWindow} readings' MAD to the longer window's - a
 * stretch gone noisy, or gone still;</li>
 * <li>{@code discord}: the distance of the newest centred shape of {@code subsequence} readings to its nearest
 * neighbour among the {@code references} shapes before it, in the stream's typical shape spread (the left matrix
 * profile, amplitude-aware) - a shape the stream never made, even within its usual range;</li>
 * <li>{@code shape}: the same distance between z-normalised shapes (the classic matrix profile) - a shape new at
 * whatever amplitude;</li>
 * <li>{@code day} and {@code week}: the reading against the median of the readings at the same hour of the day, and
 * of the week (reading time, UTC; {@link Season}) - daily and weekly cycles;</li>
 * <li>{@code step}: the change from the previous reading against the recent changes (robust z of the first difference)
 * - a jump in a stream that trends or cycles, where the level alone says little;</li>
 * <li>{@code drift}: the median of the newest 48 readings against the median of the {@code window} readings before
 * them - a level that moved slowly or by less than the noise, which only a longer look tells.</li>
 * </ul>
 * Memory and time per reading are bounded by the settings (a few kilobytes; about {@code 2 x references}
 * multiplications, and {@code references x subsequence} once every {@value #REBASE} readings).
 */
final class ValueDetectors {

    static final String[] NAMES = {"level", "shift", "spread", "discord", "day", "step", "drift", "week", "shape"};
    static final int LEVEL = 0;
    static final int SHIFT = 1;
    static final int SPREAD = 2;
    static final int DISCORD = 3;
    static final int DAY = 4;
    static final int STEP = 5;
    static final int DRIFT = 6;
    static final int WEEK = 7;
    static final int SHAPE = 8;
    /** A shape whose spread is under this share of the stream's typical one is flat: it has no z-normalised form. */
    private static final double FLAT = 0.1;
    static final int DRIFT_RECENT = 48;
    private static final int REBASE = 128;

    private static final double MAD_TO_SD = 1.4826;

    private final DetectorSettings settings;
    private final Ring values;
    private final Season day = new Season(Season.DAY);
    private final Season week = new Season(Season.WEEK);
    /** The level's window, the spread's, the newest {@value #DRIFT_RECENT} values, the changes: kept in order. */
    private final SortedWindow level;
    private final SortedWindow spread;
    private final SortedWindow recent = new SortedWindow(DRIFT_RECENT);
    private final SortedWindow steps = new SortedWindow(64);
    private final double[] subsequence;
    /** Each shape's mean and standard deviation, by the reading it ended with (a ring of references + subsequence). */
    private final double[] shapeMeans;
    private final double[] shapeSpreads;
    private int shapeCount;
    /**
     * For each candidate (by its lag behind the newest shape): the sum of products of the two shapes' values, both
     * less {@code offset}, as of the newest reading; valid for the first {@code lagDotsValid}. Updated from one reading
     * to the next by the value that came and the one that left each shape (as STOMP does), taken again in full every
     * {@value #REBASE} readings from a new offset, the newest value, so that rounding neither accumulates nor cancels.
     */
    private final double[] lagDots;
    private int lagDotsValid;
    private int sinceRebase;
    private double offset;
    private double typical = Double.NaN;
    private double normalisedShape = Double.NaN;
    private int typicalAge;
    private final Ring levels = new Ring(DRIFT_RECENT);
    private final Ring scales = new Ring(DRIFT_RECENT);
    private double expected = Double.NaN;

    ValueDetectors(DetectorSettings settings) {
        this.settings = settings;
        int capacity = Math.max(Math.max(settings.window(), DRIFT_RECENT),
                settings.references() + 2 * settings.subsequence()) + 1;
        this.values = new Ring(capacity);
        this.level = new SortedWindow(settings.window());
        this.spread = new SortedWindow(settings.spreadWindow());
        this.subsequence = new double[settings.subsequence()];
        this.shapeMeans = new double[settings.references() + settings.subsequence()];
        this.shapeSpreads = new double[settings.references() + settings.subsequence()];
        this.lagDots = new double[settings.references()];
    }

    /** What the detectors make of a reading's value at {@code millis}; then the value joins the history. */
    double[] measure(double x, long millis) {
        return measure(x, millis, true);
    }

    /**
     * The same; with {@code seasons} false the daily and weekly cycles measure the reading but do not keep it (they
     * hold it already: restored with {@link #restoreSeasons}).
     */
    double[] measure(double x, long millis, boolean seasons) {
        double[] raw = new double[NAMES.length];
        java.util.Arrays.fill(raw, Double.NaN);
        int n = level.size();
        double median = Double.NaN;
        double scale = Double.NaN;
        // the newest spreadWindow values with x
        spread.add(x);
        if (n >= DetectorSettings.MIN_LEVEL) {
            median = level.median();
            scale = floor(MAD_TO_SD * level.mad(median), median);
            expected = median;
            raw[LEVEL] = Math.abs(x - median) / scale;
            int s = settings.shortWindow();
            double[] recent = new double[s];
            values.newest(s - 1, recent);
            recent[s - 1] = x;
            java.util.Arrays.sort(recent, 0, Math.min(s, n + 1));
            raw[SHIFT] = Math.abs(Ring.median(recent, Math.min(s, n + 1)) - median) / scale;
            if (n >= settings.spreadWindow()) {
                double recentMad = spread.mad(spread.median());
                double floor = floor(0, median);
                raw[SPREAD] = Math.abs(Math.log((MAD_TO_SD * recentMad + floor) / (scale + floor)));
            }
        } else {
            expected = n == 0 ? x : values.back(0);
        }
        raw[DISCORD] = discord(x);
        raw[SHAPE] = normalisedShape;
        raw[STEP] = step(x);
        raw[DAY] = day.measure(x, millis, seasons);
        raw[WEEK] = week.measure(x, millis, seasons);
        raw[DRIFT] = drift(x, median, scale);
        values.add(x);
        level.add(x);
        return raw;
    }

    /**
     * The median of the newest {@value #DRIFT_RECENT} readings against the median and spread of the window before them
     * (the level's window as it was when the oldest of them came): a level that moved, slowly or by a small step, where
     * the short windows see only noise.
     */
    private double drift(double x, double median, double scale) {
        double raw = Double.NaN;
        recent.add(x);
        if (levels.size() == DRIFT_RECENT && values.size() >= DRIFT_RECENT - 1 + settings.window()) {
            raw = Math.abs(recent.median() - levels.back(DRIFT_RECENT - 1))
                    / scales.back(DRIFT_RECENT - 1);
        }
        levels.add(median);
        scales.add(scale);
        return raw;
    }

    /** The change from the previous reading against the changes before it. */
    private double step(double x) {
        if (values.size() == 0) {
            return Double.NaN;
        }
        double change = x - values.back(0);
        double raw = Double.NaN;
        if (steps.size() >= DetectorSettings.MIN_LEVEL) {
            double median = steps.median();
            raw = Math.abs(change - median) / floor(MAD_TO_SD * steps.mad(median), x);
        }
        steps.add(change);
        return raw;
    }

    /** The daily and weekly cycles as they stand, by name ({@code day}, {@code week}); empty before a reading. */
    java.util.Map<String, SeasonState> seasons() {
        java.util.Map<String, SeasonState> saved = new java.util.LinkedHashMap<>();
        if (day.saved() != null) {
            saved.put("day", day.saved());
            saved.put("week", week.saved());
        }
        return saved;
    }

    /** Whether {@link #restoreSeasons} would take {@code saved} up (both cycles). */
    boolean acceptsSeasons(java.util.Map<String, SeasonState> saved) {
        return saved != null && day.accepts(saved.get("day")) && week.accepts(saved.get("week"));
    }

    /** Takes up cycles written by {@link #seasons} that {@link #acceptsSeasons} accepts. */
    void restoreSeasons(java.util.Map<String, SeasonState> saved) {
        day.restore(saved.get("day"));
        week.restore(saved.get("week"));
    }

    /** What the newest reading was expected to be: the median of the readings before it (or at its hour of day). */
    double expected() {
        return expected;
    }

    /** A scale never zero: a value that never moved still has a unit, a millionth of its size (or 1e-9). */
    static double floor(double scale, double level) {
        return Math.max(scale, Math.max(1e-9, 1e-6 * Math.abs(level)));
    }

    /**
     * The distance of the shape ending with {@code x} to the nearest earlier shape that does not overlap it, both
     * centred on their means and divided by the typical spread of the stream's shapes (the median of the earlier
     * shapes' standard deviations): a new shape counts, and so does a known shape at an unknown amplitude. Divided by
     * sqrt(2 m) so that 1 is as far as two unrelated shapes of typical spread. The same products give the z-normalised
     * distance ({@code normalisedShape}: sqrt(2 m (1 - r)) / sqrt(2 m), r the shapes' correlation), left out for shapes
     * flatter than {@link #FLAT} of the typical spread, where correlation is noise. The centred shapes' dot products
     * come from {@link #lagDots}: two multiplications per candidate and reading instead of {@code subsequence}.
     */
    private double discord(double x) {
        normalisedShape = Double.NaN;
        int m = settings.subsequence();
        if (values.size() < m - 1) {
            return Double.NaN;
        }
        // the newest shape: m - 1 held values and x; its mean and standard deviation
        for (int i = 0; i < m - 1; i++) {
            subsequence[i] = values.back(m - 2 - i);
        }
        subsequence[m - 1] = x;
        double mean = 0;
        for (int i = 0; i < m; i++) {
            mean += subsequence[i];
        }
        mean /= m;
        double squares = 0;
        for (int i = 0; i < m; i++) {
            double centred = subsequence[i] - mean;
            squares += centred * centred;
        }
        double spread = Math.sqrt(squares / m);
        // shapes that end at least m readings before x are candidates
        int candidates = Math.min(settings.references(), shapeCount - m);
        double result = Double.NaN;
        if (candidates >= 8) {
            if (typicalAge++ % 32 == 0 || Double.isNaN(typical)) {
                double[] spreads = new double[candidates];
                for (int c = 0; c < candidates; c++) {
                    spreads[c] = shapeSpreads[shape(m + c)];
                }
                java.util.Arrays.sort(spreads);
                typical = Ring.median(spreads, candidates);
            }
            if (lagDotsValid == 0 || ++sinceRebase >= REBASE) {
                offset = x;
                sinceRebase = 0;
                lagDotsValid = 0;
            }
            double scale = Math.max(typical, Math.max(1e-12, 1e-9 * Math.abs(x)));
            double flat = FLAT * scale;
            double best = Double.POSITIVE_INFINITY;
            double bestNormalised = Double.POSITIVE_INFINITY;
            double came = x - offset;
            double left = values.back(m - 1) - offset;
            double newestMean = mean - offset;
            for (int c = 0; c < candidates; c++) {
                // the candidate ended lag readings before x
                int lag = m + 1 + c;
                if (c < lagDotsValid) {
                    lagDots[c] += came * (values.back(lag - 1) - offset) - left * (values.back(lag + m - 1) - offset);
                } else {
                    double sum = came * (values.back(lag - 1) - offset);
                    for (int i = 1; i < m; i++) {
                        sum += (values.back(i - 1) - offset) * (values.back(lag + i - 1) - offset);
                    }
                    lagDots[c] = sum;
                }
                int z = shape(m + c);
                double zSpread = shapeSpreads[z];
                double dot = lagDots[c] - m * newestMean * (shapeMeans[z] - offset);
                // the sum of squared differences of the centred shapes, and of the z-normalised ones (2 m (1 - r))
                best = Math.min(best, m * (spread * spread + zSpread * zSpread) - 2 * dot);
                if (spread >= flat && zSpread >= flat) {
                    bestNormalised = Math.min(bestNormalised, 2 * m * (1 - dot / (m * spread * zSpread)));
                }
            }
            lagDotsValid = candidates;
            result = Math.sqrt(Math.max(0, best) / (2 * m)) / scale;
            if (bestNormalised < Double.POSITIVE_INFINITY) {
                normalisedShape = Math.sqrt(Math.max(0, bestNormalised) / (2 * m));
            }
        } else {
            lagDotsValid = 0;
        }
        shapeMeans[shapeCount % shapeMeans.length] = mean;
        shapeSpreads[shapeCount % shapeSpreads.length] = spread;
        shapeCount++;
        return result;
    }

    /** Where the shape that ended {@code back} shapes before the newest kept one is held (0: the newest). */
    private int shape(int back) {
        return (shapeCount - 1 - back) % shapeMeans.length;
    }
}
