package io.edgeai.anomaly.internal.detect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

public class StreamScorerTest {

    private static final long T0 = 1_764_450_000_000L;
    private static final long MINUTE = 60_000L;

    /** A daily cycle every 5 minutes with noise, {@code scale} times larger and shifted by {@code offset}. */
    private static double[] cycle(int n, long seed, double scale, double offset) {
        Random random = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = offset + scale * (20 + 5 * Math.sin(2 * Math.PI * i / 288.0) + 0.3 * random.nextGaussian());
        }
        return x;
    }

    private static double[] scores(double[] x) {
        StreamScorer scorer = new StreamScorer(List.of("v"), DetectorSettings.DEFAULTS);
        double[] scores = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            scores[i] = scorer.score(new double[] {x[i]}, T0 + i * 5 * MINUTE, Map.of()).score();
        }
        return scores;
    }

    @Test
    public void aStreamIsScoredFromAboutItsThirtiethReading() {
        double[] scores = scores(cycle(100, 1, 1, 0));
        int first = 0;
        while (Double.isNaN(scores[first])) {
            first++;
        }
        assertEquals(DetectorSettings.DEFAULTS.firstScore(), first + 1);
        assertTrue("first score at reading " + (first + 1), first + 1 <= 30);
        for (int i = first; i < scores.length; i++) {
            assertFalse("reading " + i + " unscored after the first score", Double.isNaN(scores[i]));
        }
    }

    @Test
    public void theScoreDoesNotDependOnTheStreamsUnits() {
        double[] celsius = cycle(3000, 7, 1, 0);
        double[] scaled = cycle(3000, 7, 1000, -40);
        celsius[2000] += 6;
        scaled[2000] += 6000;
        double[] a = scores(celsius);
        double[] b = scores(scaled);
        for (int i = 0; i < a.length; i++) {
            assertEquals("reading " + i, a[i], b[i], 1e-6);
        }
    }

    @Test
    public void aSpikeScoresHighAndOrdinaryReadingsLow() {
        double[] x = cycle(4000, 3, 1, 0);
        x[3000] += 5;
        double[] scores = scores(x);
        assertTrue("spike scored " + scores[3000], scores[3000] >= 0.9);
        int over = 0;
        for (int i = 500; i < 2900; i++) {
            over += scores[i] >= 0.5 ? 1 : 0;
        }
        // a score of 0.5 is a reading as rare as 1 in 10,000: among 2,400 ordinary readings, hardly any
        assertTrue(over + " ordinary readings at or over 0.5", over <= 2);
    }

    @Test
    public void theDetectorThatFoundItAndTheValueAreNamed() {
        StreamScorer scorer = new StreamScorer(List.of("temperature", "humidity"), DetectorSettings.DEFAULTS);
        Random random = new Random(5);
        StreamScorer.Score last = null;
        for (int i = 0; i < 600; i++) {
            double humidity = 60 + random.nextGaussian() + (i == 599 ? 25 : 0);
            last = scorer.score(new double[] {20 + 0.1 * random.nextGaussian(), humidity}, T0 + i * MINUTE,
                    Map.of());
        }
        assertTrue(last.toString(), last.score() > 0.9);
        assertEquals("humidity", last.value());
        assertEquals(60, last.expected()[1], 1.0);
        assertEquals(20, last.expected()[0], 0.2);
    }

    @Test
    public void aStuckSensorAndALevelShiftAreFound() {
        Random random = new Random(9);
        double[] x = new double[3000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 50 + random.nextGaussian();
        }
        for (int i = 1500; i < 1600; i++) {
            x[i] = x[1500]; // stuck
        }
        for (int i = 2200; i < x.length; i++) {
            x[i] += 6; // shift
        }
        double[] scores = scores(x);
        assertTrue("stuck", max(scores, 1500, 1540) >= 0.5);
        assertTrue("shift", max(scores, 2200, 2210) >= 0.5);
    }

    /** An office's hourly load, a hump on working days, idle at weekends: an idle Wednesday reads only normal values. */
    @Test
    public void aWorkingDayIdleIsFoundByTheWeek() {
        StreamScorer.Score found = idleWednesday(-1);
        assertTrue(found.toString(), found.score() >= 0.5);
        assertEquals("week", found.detector());
    }

    /**
     * The watch stopped and started again on the Monday before the idle Wednesday, taking up the stream from its newest
     * 1,350 readings (as the gateway keeps them) and its cycles: the week still finds the Wednesday, which it could not
     * from those readings alone (they span eight days, the week needs two).
     */
    @Test
    public void theWeekIsTakenUpAfterARestart() {
        StreamScorer.Score found = idleWednesday(9 * 7 * 24);
        assertTrue(found.toString(), found.score() >= 0.5);
        assertEquals("week", found.detector());
    }

    /**
     * Ten weeks of the office's load, the tenth week's Wednesday idle; the most unusual reading of that day. From
     * {@code restartAt} on (unless negative) a new scorer takes the stream up from the previous one's newest 1,350
     * readings and its cycles.
     */
    private static StreamScorer.Score idleWednesday(int restartAt) {
        StreamScorer scorer = new StreamScorer(List.of("load"), DetectorSettings.DEFAULTS);
        Random random = new Random(4);
        int kept = 1350;
        double[][] values = new double[10 * 168][];
        long[] millis = new long[values.length];
        long monday = 1_736_121_600_000L; // 2025-01-06T00:00Z
        int idle = 9 * 7 + 2; // the Wednesday of the tenth week
        int flaggedBefore = 0;
        StreamScorer.Score found = null;
        for (int i = 0; i < 10 * 168; i++) {
            int day = i / 24;
            int hour = i % 24;
            boolean working = day % 7 < 5 && day != idle && hour >= 8 && hour < 18;
            double load = 20 + (working ? 60 * Math.sin(Math.PI * (hour - 7.5) / 10.5) : 0) + 3 * random.nextGaussian();
            values[i] = new double[] {load};
            millis[i] = monday + i * 3_600_000L;
            if (i == restartAt) {
                StreamScorer next = new StreamScorer(List.of("load"), DetectorSettings.DEFAULTS);
                assertTrue(next.restoreSeasons(scorer.seasons()));
                for (int h = Math.max(0, i - kept); h < i; h++) {
                    next.history(values[h], millis[h], true);
                }
                scorer = next;
            }
            StreamScorer.Score score = scorer.score(values[i], millis[i], Map.of());
            if (day >= 7 * 7 && day < idle && score.score() >= 0.5) {
                flaggedBefore++;
            }
            if (day == idle && (found == null || score.score() > found.score())) {
                found = score;
            }
        }
        assertEquals("readings flagged in the two weeks before", 0, flaggedBefore);
        return found;
    }

    @Test
    public void aForecastersMeasureJoinsOnceCalibrated() {
        StreamScorer scorer = new StreamScorer(List.of("v"), DetectorSettings.DEFAULTS);
        Random random = new Random(2);
        StreamScorer.Score score = null;
        for (int i = 0; i < 400; i++) {
            double error = i == 399 ? 50 : Math.abs(random.nextGaussian());
            score = scorer.score(new double[] {10 + random.nextGaussian()}, T0 + i * MINUTE,
                    Map.of("forecast", error));
        }
        assertEquals("forecast", score.detector());
        assertTrue(score.toString(), score.score() > 0.9);
    }

    private static double max(double[] scores, int from, int to) {
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, scores[i]);
        }
        return max;
    }
}
