package io.edgeai.preprocess.internal;

import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Preprocessed;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.reading.Reading;
import io.edgeai.preprocess.internal.steps.BuiltInSteps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Readings per second through clean + normalize + window on one thread, three ways in one run:
 * <ul>
 *   <li>{@code live}: the gateway's serving path, {@link LivePipeline#process} (a Reading in, Features out, with the
 *       per-device lock and the counters), as a connector's route calls it;
 *   <li>{@code steps}: the same steps called directly ({@link FittedPipeline#apply} on a Sample);
 *   <li>{@code raw}: a hand-written loop doing the same arithmetic on arrays (the baseline: what the work costs
 *       without a pipeline around it).
 * </ul>
 * The pipeline: reject non-finite, timestamps (order per device), bounds (clip), z-score (fitted on 10,000 readings),
 * tumbling count windows of {@code window} readings with mean, std, min, max, last and slope, over 2 values from
 * {@code devices} devices in turn. Each reading is made inside the measured method, as a connector makes it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PreprocessBenchmark {

    static final String DEFINITION = """
            name: bench
            steps:
              - type: reject-non-finite
              - type: timestamps
              - type: bounds
                features: [temperature]
                min: -40
                max: 85
                action: clip
              - type: zscore
              - type: window
                size: %d
            fit:
              samples: 10000
            """;

    @Param({"100"})
    int devices;

    @Param({"10"})
    int window;

    private LivePipeline live;
    private FittedPipeline steps;
    private RawPipeline raw;
    private long tick;
    private final Random random = new Random(42);
    private final double[] noise = new double[4096];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextGaussian();
        }
        PipelineDefinition definition = PipelineDefinition.parse(DEFINITION.formatted(window), false);
        List<Sample> training = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Reading r = reading(i);
            training.add(new Sample(r.deviceId(), r.timestamp(), r.values()));
        }
        FittedPipeline fitted = new FittedPipeline(definition, BuiltInSteps.types()::get);
        fitted.fit(training);
        byte[] serialized = fitted.serialize();
        steps = FittedPipeline.restore(serialized, BuiltInSteps.types()::get, definition);
        live = new LivePipeline("bench", p -> { });
        live.install(FittedPipeline.restore(serialized, BuiltInSteps.types()::get, definition), true, "bench");
        raw = new RawPipeline(devices, window, fitted);
        tick = 10_000; // after the training readings: times keep increasing per device
    }

    /** The next reading: devices in turn, 1 s apart per device, a daily-ish temperature and humidity with noise. */
    private Reading reading(long n) {
        int device = (int) (n % devices);
        long time = 1_764_450_000_000L + (n / devices) * 1000;
        double phase = (n / devices) * 0.001;
        Map<String, Double> values = new LinkedHashMap<>(4);
        values.put("temperature", 20 + 5 * Math.sin(phase) + noise[(int) (n & 4095)]);
        values.put("humidity", 50 + 10 * Math.cos(phase) + noise[(int) ((n * 7) & 4095)]);
        return new Reading(DEVICES[device % DEVICES.length], Instant.ofEpochMilli(time), values);
    }

    private static final String[] DEVICES = new String[1000];

    static {
        for (int i = 0; i < DEVICES.length; i++) {
            DEVICES[i] = "device-" + i;
        }
    }

    @Benchmark
    public Preprocessed live() throws PreprocessException {
        return live.process(reading(tick++));
    }

    @Benchmark
    public List<Sample> steps() throws PreprocessException {
        Reading r = reading(tick++);
        return steps.apply(new Sample(r.deviceId(), r.timestamp(), r.values()));
    }

    @Benchmark
    public void raw(Blackhole sink) {
        raw.apply(reading(tick++), sink);
    }

    /** The same arithmetic by hand: arrays per device, no maps, no steps, no checks beyond the pipeline's own. */
    static final class RawPipeline {
        private final int window;
        private final double[] mean = new double[2];
        private final double[] std = new double[2];
        private final long[] lastTime;
        private final double[][][] values; // device, feature, slot
        private final long[][] times;
        private final int[] filled;
        private final Map<String, Integer> index = new java.util.HashMap<>();

        RawPipeline(int devices, int window, FittedPipeline fitted) {
            this.window = window;
            this.lastTime = new long[devices];
            this.values = new double[devices][2][window];
            this.times = new long[devices][window];
            this.filled = new int[devices];
            @SuppressWarnings("unchecked")
            List<Map<String, List<Double>>> state = (List<Map<String, List<Double>>>) (List<?>) parseState(fitted);
            Map<String, List<Double>> z = state.get(3);
            mean[0] = z.get("temperature").get(0);
            std[0] = z.get("temperature").get(1);
            mean[1] = z.get("humidity").get(0);
            std[1] = z.get("humidity").get(1);
            for (int i = 0; i < devices; i++) {
                index.put(DEVICES[i], i);
            }
        }

        private static List<?> parseState(FittedPipeline fitted) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readValue(fitted.fittedStateJson(), List.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void apply(Reading reading, Blackhole sink) {
            int d = index.get(reading.deviceId());
            double t = reading.values().get("temperature");
            double h = reading.values().get("humidity");
            if (!Double.isFinite(t) || !Double.isFinite(h)) {
                return;
            }
            long time = reading.timestamp().toEpochMilli();
            if (time <= lastTime[d]) {
                return;
            }
            lastTime[d] = time;
            t = Math.max(-40, Math.min(85, t));
            int slot = filled[d]++;
            values[d][0][slot] = (t - mean[0]) / std[0];
            values[d][1][slot] = (h - mean[1]) / std[1];
            times[d][slot] = time;
            if (filled[d] < window) {
                return;
            }
            filled[d] = 0;
            double[] out = new double[12];
            for (int f = 0; f < 2; f++) {
                double[] x = values[d][f];
                double m = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (double v : x) {
                    m += v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                m /= window;
                double tm = 0;
                for (long ts : times[d]) {
                    tm += ts / 1000.0;
                }
                tm /= window;
                double ss = 0;
                double cov = 0;
                double var = 0;
                for (int i = 0; i < window; i++) {
                    ss += (x[i] - m) * (x[i] - m);
                    double dt = times[d][i] / 1000.0 - tm;
                    cov += dt * (x[i] - m);
                    var += dt * dt;
                }
                out[f * 6] = m;
                out[f * 6 + 1] = Math.sqrt(ss / window);
                out[f * 6 + 2] = min;
                out[f * 6 + 3] = max;
                out[f * 6 + 4] = x[window - 1];
                out[f * 6 + 5] = var == 0 ? 0 : cov / var;
            }
            sink.consume(out);
        }
    }
}
