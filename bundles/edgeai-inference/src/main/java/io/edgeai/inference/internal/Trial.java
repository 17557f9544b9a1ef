package io.edgeai.inference.internal;

import io.edgeai.api.model.RolloutStage;
import io.edgeai.api.model.TrialFigures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A version on trial beside the serving one: its stage, the canary's share of devices, and the comparison of the two
 * versions on the requests both computed. Thread-safe; the figures start again with each stage.
 */
final class Trial {

    /** Latencies kept for the percentiles: the newest this many requests of each version. */
    private static final int LATENCIES = 2048;

    final ServingVersion candidate;
    final RolloutStage stage;
    private final double share;

    private long requests;
    private long compared;
    private long candidateErrors;
    private long activeErrors;
    private long skipped;
    private final float[] candidateMillis = new float[LATENCIES];
    private final float[] activeMillis = new float[LATENCIES];
    private long latencies;
    /** Over the compared outputs: count, sum of |c - a|, sum of (c - a), Welford's mean and M2 of the active's. */
    private long values;
    private double absoluteDifference;
    private double difference;
    private double activeMean;
    private double activeM2;
    private boolean shapesDiffer;

    Trial(ServingVersion candidate, RolloutStage stage, double share) {
        this.candidate = candidate;
        this.stage = stage;
        this.share = share;
    }

    /**
     * Whether the canary answers this device: FNV-1a (64 bits) of its id in UTF-8, mixed by MurmurHash3's 64-bit
     * finalizer, the top 32 bits as a fraction of 2^32, below the share. The same device always gets the same side,
     * on every gateway; the share of a fleet is close to the configured one.
     */
    boolean answers(String deviceId) {
        return stage == RolloutStage.CANARY && deviceId != null && bucket(deviceId) < share;
    }

    static double bucket(String deviceId) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : deviceId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return (hash >>> 32) / 4294967296.0;
    }

    synchronized void request() {
        requests++;
    }

    synchronized void skipped() {
        skipped++;
    }

    /**
     * One request both versions computed: their outputs (null when that version failed) and latencies in ns. A request
     * both failed is the input's fault (a bad request), not the versions', and is not compared.
     */
    synchronized void compared(float[][] active, long activeNanos, float[][] candidate, long candidateNanos) {
        if (active == null && candidate == null) {
            return;
        }
        compared++;
        if (candidate == null) {
            candidateErrors++;
            return;
        }
        if (active == null) {
            activeErrors++;
            return;
        }
        int slot = (int) (latencies++ % LATENCIES);
        activeMillis[slot] = activeNanos / 1e6f;
        candidateMillis[slot] = candidateNanos / 1e6f;
        if (active.length != candidate.length) {
            shapesDiffer = true;
            return;
        }
        for (int row = 0; row < active.length; row++) {
            if (active[row].length != candidate[row].length) {
                shapesDiffer = true;
                return;
            }
            for (int i = 0; i < active[row].length; i++) {
                double a = active[row][i];
                double d = candidate[row][i] - a;
                values++;
                absoluteDifference += Math.abs(d);
                difference += d;
                double delta = a - activeMean;
                activeMean += delta / values;
                activeM2 += delta * (a - activeMean);
            }
        }
    }

    synchronized TrialFigures figures() {
        int n = (int) Math.min(latencies, LATENCIES);
        double spread = values < 2 ? Double.NaN : Math.sqrt(activeM2 / (values - 1));
        // a constant active output has no spread: differences are then measured against its size (or 1)
        double unit = Math.max(Double.isNaN(spread) ? 0 : spread, 1e-3 * Math.max(1, Math.abs(activeMean)));
        boolean comparable = values > 0 && !shapesDiffer;
        return new TrialFigures(stage, requests, compared, candidateErrors, activeErrors, skipped,
                p99(candidateMillis, n), p99(activeMillis, n),
                comparable ? absoluteDifference / values / unit : Double.NaN,
                comparable ? difference / values / unit : Double.NaN);
    }

    private static double p99(float[] millis, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        float[] sorted = Arrays.copyOf(millis, n);
        Arrays.sort(sorted);
        return sorted[Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1)];
    }
}
