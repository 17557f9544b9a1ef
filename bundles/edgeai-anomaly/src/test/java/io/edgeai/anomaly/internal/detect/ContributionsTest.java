package io.edgeai.anomaly.internal.detect;

import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/**
 * Which value drove an alert: on a synthetic multivariate stream (four sensors of a machine, each a daily-ish cycle
 * with noise, correlated through a shared load) where one sensor at a time is corrupted (a spike, a dropout to zero, a
 * stuck stretch, a burst of noise), the alert's top contributor is the corrupted sensor in at least 95 % of the
 * injected anomalies the watch alerts on; the shipped threshold and episode settings.
 */
public class ContributionsTest {

    @Test
    public void theTopContributorOfAnAlertIsTheCorruptedSensor() {
        int right = 0;
        int alerted = 0;
        int injected = 0;
        for (long seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            List<String> names = List.of("temperature", "pressure", "flow", "vibration");
            StreamScorer scorer = new StreamScorer(names, DetectorSettings.DEFAULTS);
            Episodes episodes = new Episodes(0.5, 0.5 * 0.4, 40);
            int corrupted = -1;
            int kind = 0;
            int until = 0;
            double stuck = 0;
            for (int t = 0; t < 6000; t++) {
                double load = Math.sin(2 * Math.PI * t / 288) + 0.3 * Math.sin(2 * Math.PI * t / 37);
                double[] x = {60 + 5 * load + random.nextGaussian() * 0.5, 3 + 0.4 * load + random.nextGaussian()
                        * 0.05, 120 + 20 * load + random.nextGaussian() * 2, 0.8 + 0.1 * load
                        + Math.abs(random.nextGaussian()) * 0.05};
                if (t > 1500 && corrupted < 0 && t % 400 == 0) {
                    corrupted = random.nextInt(names.size());
                    kind = random.nextInt(4);
                    until = t + (kind == 0 ? 1 : 20);
                    stuck = x[corrupted];
                    injected++;
                }
                if (corrupted >= 0) {
                    double scale = new double[] {5, 0.4, 20, 0.1}[corrupted];
                    x[corrupted] = switch (kind) {
                        case 0 -> x[corrupted] + 8 * scale; // a spike
                        case 1 -> 0; // a dropout
                        case 2 -> stuck; // stuck
                        default -> x[corrupted] + random.nextGaussian() * 3 * scale; // a noise burst
                    };
                }
                StreamScorer.Score score = scorer.score(x, t * 300_000L, Map.of());
                Episodes.Step step = episodes.next(score.score());
                if (step.alert() && corrupted >= 0) {
                    alerted++;
                    Map<String, Double> contributions = scorer.contributions(score);
                    if (!contributions.isEmpty() && contributions.keySet().iterator().next().equals(names.get(
                            corrupted))) {
                        right++;
                    }
                }
                if (corrupted >= 0 && t >= until) {
                    corrupted = -1;
                }
            }
        }
        System.out.printf("contributions: %d injected, %d alerted, top contributor right in %d (%.1f %%)%n", injected,
                alerted, right, 100.0 * right / alerted);
        assertTrue("alerts on most injected anomalies: " + alerted + " of " + injected, alerted >= injected * 0.8);
        assertTrue(right + " of " + alerted, right >= 0.95 * alerted);
    }
}
