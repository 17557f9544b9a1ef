package io.edgeai.training.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.djl.Device;
import io.edgeai.anomaly.internal.StreamWatch;
import io.edgeai.anomaly.internal.WatchSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/**
 * The anomaly watch's algorithm (bundle edgeai-anomaly) with this bundle's trainer and the real engine: each
 * (re)training is the job the gateway would run, each score comes from the trained model through a DJL predictor.
 */
public class StreamWatchTest {

    /** Hourly temperatures of Seattle in 2010 (°F), as Debian's python3-vega-datasets ships them. */
    static final Path SEATTLE = Paths.get("/usr/lib/python3/dist-packages/vega_datasets/_data/seattle-temps.csv");

    private static final WatchSettings HOURLY = new WatchSettings(8, 720, 168, 720, 5, 48, List.of(16, 16), 100);

    /** Runs a stream through a watch whose trainings run at once, as jobs would. */
    static final class Harness implements AutoCloseable {
        final StreamWatch watch;
        final WatchSettings settings;
        TrainingRun.Result model;
        Forecasts forecasts;
        int trainings;

        Harness(List<String> features, WatchSettings settings) {
            this.watch = new StreamWatch(features, settings);
            this.settings = settings;
        }

        StreamWatch.Observation observe(double... values) throws Exception {
            StreamWatch.Observation observation = watch.observe(values, row -> forecasts.predict(
                    new float[][] {row})[0]);
            if (watch.trainingDue()) {
                train();
            }
            return observation;
        }

        private void train() throws Exception {
            StreamWatch.TrainingSet set = watch.trainingSet();
            JobSpec job = SpecParser.parse(settings.spec(set.inputs(), set.targets(), ++trainings), Paths.get("."));
            TrainingRun.Result fresh = TrainingRun.train(job.train(), set.inputs(), set.targets(), Device.cpu(),
                    (epoch, train, validation, rate) -> { }, () -> false);
            close();
            model = fresh;
            forecasts = new Forecasts(fresh);
            watch.calibrate(set, forecasts.predict(set.inputs()));
        }

        @Override
        public void close() {
            if (forecasts != null) {
                forecasts.close();
                model.close();
            }
        }
    }

    @Test
    public void findsInjectedSpikesAndLevelShiftsInSeattleTemperatures() throws Exception {
        double[] series = seattle();
        Random random = new Random(42);
        double[] stream = series.clone();
        boolean[] injected = new boolean[series.length];
        double step = stepDeviation(series);
        int spikes = 0;
        int shifts = 0;
        int from = HOURLY.warmup() + HOURLY.window();
        for (int at = from + 150 + random.nextInt(150); at < series.length - 30; at += 150 + random.nextInt(150)) {
            double size = (random.nextBoolean() ? 1 : -1) * (6 + 4 * random.nextDouble()) * step;
            int length = random.nextBoolean() ? 1 : 6 + random.nextInt(19);
            for (int i = at; i < at + length; i++) {
                stream[i] += size;
                injected[i] = true;
            }
            if (length == 1) {
                spikes++;
            } else {
                shifts++;
            }
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        try (Harness harness = new Harness(List.of("temp"), HOURLY)) {
            for (int t = 0; t < stream.length; t++) {
                StreamWatch.Observation seen = harness.observe(stream[t]);
                if (t < HOURLY.warmup()) {
                    assertEquals(StreamWatch.Kind.LEARNING, seen.kind());
                    continue;
                }
                assertEquals("reading " + t, StreamWatch.Kind.SCORED, seen.kind());
                if (injected[t]) {
                    if (seen.anomaly()) {
                        tp++;
                    } else {
                        fn++;
                    }
                } else if (seen.anomaly()) {
                    fp++;
                } else {
                    tn++;
                }
            }
            double recall = tp / (double) (tp + fn);
            double precision = tp / (double) Math.max(1, tp + fp);
            double fpr = fp / (double) (fp + tn);
            System.out.printf(Locale.ROOT, "Seattle 2010 hourly, %d readings watched after a %d-reading warm-up,"
                    + " %d trainings; injected %d spikes and %d level shifts (6-24 readings) of 6-10 x the typical"
                    + " hourly step (%.2f F): %d anomalous readings. recall %.3f, precision %.3f, false-positive"
                    + " rate %.4f (%d of %d normal readings)%n", stream.length - HOURLY.warmup(), HOURLY.warmup(),
                    harness.trainings, spikes, shifts, step, tp + fn, recall, precision, fpr, fp, fp + tn);
            assertTrue("recall " + recall, recall >= 0.9);
            assertTrue("false-positive rate " + fpr, fpr <= 0.01);
        }
    }

    @Test
    public void aSpikeIsFlaggedAloneAndALastingShiftBecomesTheNewNormal() throws Exception {
        WatchSettings settings = new WatchSettings(8, 200, 0, 200, 5, 20, List.of(16, 16), 100);
        Random noise = new Random(7);
        List<StreamWatch.Observation> seen = new ArrayList<>();
        try (Harness harness = new Harness(List.of("a", "b"), settings)) {
            for (int t = 0; t < 400; t++) {
                double a = 10 * Math.sin(2 * Math.PI * t / 24) + 0.1 * noise.nextGaussian();
                double b = 50 + 5 * Math.cos(2 * Math.PI * t / 24) + 0.1 * noise.nextGaussian();
                if (t == 250) {
                    a += 8; // a spike in one value
                }
                if (t >= 300) {
                    b -= 15; // a level shift that lasts
                }
                seen.add(harness.observe(a, b));
            }
            assertEquals(1, harness.trainings);
        }
        assertEquals(StreamWatch.Kind.LEARNING, seen.get(199).kind());
        for (int t = 200; t < 250; t++) {
            assertFalse("reading " + t + " score " + seen.get(t).score(), seen.get(t).anomaly());
        }
        assertTrue(seen.get(250).anomaly());
        // what the model expected is the sine's value, not the spike's
        assertEquals(10 * Math.sin(2 * Math.PI * 250 / 24), seen.get(250).expected()[0], 1);
        for (int t = 251; t < 300; t++) {
            assertFalse("after the spike, reading " + t + " score " + seen.get(t).score(), seen.get(t).anomaly());
        }
        for (int t = 300; t < 320; t++) {
            assertTrue("the shift is flagged while it is news, reading " + t, seen.get(t).anomaly());
        }
        for (int t = 320 + settings.window() + 2; t < 400; t++) {
            assertFalse("the shift is the new normal, reading " + t + " score " + seen.get(t).score(),
                    seen.get(t).anomaly());
        }
    }

    static double[] seattle() throws IOException {
        if (!Files.isRegularFile(SEATTLE)) {
            throw new IllegalStateException(SEATTLE + " is missing: apt-get install python3-vega-datasets"
                    + " (.ci/run installs it)");
        }
        List<String> lines = Files.readAllLines(SEATTLE);
        assertEquals("date,temp", lines.get(0));
        double[] values = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            values[i - 1] = Double.parseDouble(lines.get(i).substring(lines.get(i).indexOf(',') + 1));
        }
        return values;
    }

    /** The standard deviation of the steps between two readings. */
    static double stepDeviation(double[] series) {
        double sum = 0;
        double squares = 0;
        for (int i = 1; i < series.length; i++) {
            double d = series[i] - series[i - 1];
            sum += d;
            squares += d * d;
        }
        int n = series.length - 1;
        return Math.sqrt(squares / n - Math.pow(sum / n, 2));
    }
}
