package io.edgeai.api.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a version is rolled out: what each stage needs before the next, and the guard rails whose breach rolls it back.
 * The defaults are in {@code etc/io.edgeai.models.cfg} ({@code rollout.*}), a model's own in the same file
 * ({@code rollout.<model>.<setting>}), and a rollout started over the API or the console may override any of them.
 *
 * @param shadowRequests compared requests the shadow stage needs (0 skips the stage)
 * @param shadowSeconds and the seconds it lasts at least
 * @param canaryShare the share of devices (0 to 1, stable per device) the canary answers (0 skips the stage)
 * @param canaryRequests compared requests the canary stage needs
 * @param canarySeconds and the seconds it lasts at least
 * @param minRequests compared requests before the error rate, latency and output guards judge
 * @param maxErrorRate the highest share of compared requests the trial version may fail where the active one did not
 * @param maxLatencyRatio the trial version's p99 may exceed the active version's p99 by this factor ...
 * @param latencySlackMillis ... and by this many milliseconds; both must be exceeded for a breach
 * @param maxOutputDrift the highest mean absolute difference of the outputs, in active output standard deviations (0:
 *     not watched)
 * @param minLabels labels per version (since the canary began) before live accuracy judges
 * @param maxAccuracyLoss the canary's live accuracy may be this much below the active version's (classifiers: a share
 *     of labels; regressors: its mean absolute error may be this fraction above the active version's)
 */
public record RolloutPolicy(long shadowRequests, long shadowSeconds, double canaryShare, long canaryRequests,
        long canarySeconds, long minRequests, double maxErrorRate, double maxLatencyRatio, double latencySlackMillis,
        double maxOutputDrift, long minLabels, double maxAccuracyLoss) {

    /** The gateway's defaults, when nothing is configured. */
    public static final RolloutPolicy DEFAULTS = new RolloutPolicy(200, 0, 0.1, 200, 0, 20, 0.01, 2.0, 20, 0.5, 30,
            0.1);

    public RolloutPolicy {
        check(shadowRequests >= 0, "shadowRequests", shadowRequests);
        check(shadowSeconds >= 0, "shadowSeconds", shadowSeconds);
        check(canaryShare >= 0 && canaryShare <= 1, "canaryShare (0 to 1)", canaryShare);
        check(canaryRequests >= 0, "canaryRequests", canaryRequests);
        check(canarySeconds >= 0, "canarySeconds", canarySeconds);
        check(minRequests >= 1, "minRequests (at least 1)", minRequests);
        check(maxErrorRate >= 0 && maxErrorRate <= 1, "maxErrorRate (0 to 1)", maxErrorRate);
        check(maxLatencyRatio >= 1, "maxLatencyRatio (at least 1)", maxLatencyRatio);
        check(latencySlackMillis >= 0, "latencySlackMillis", latencySlackMillis);
        check(maxOutputDrift >= 0, "maxOutputDrift", maxOutputDrift);
        check(minLabels >= 1, "minLabels (at least 1)", minLabels);
        check(maxAccuracyLoss >= 0, "maxAccuracyLoss", maxAccuracyLoss);
    }

    private static void check(boolean ok, String name, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("rollout setting " + name + ": " + value + " is out of range");
        }
    }

    /** The settings by name, as written in configuration and JSON. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("shadowRequests", shadowRequests);
        map.put("shadowSeconds", shadowSeconds);
        map.put("canaryShare", canaryShare);
        map.put("canaryRequests", canaryRequests);
        map.put("canarySeconds", canarySeconds);
        map.put("minRequests", minRequests);
        map.put("maxErrorRate", maxErrorRate);
        map.put("maxLatencyRatio", maxLatencyRatio);
        map.put("latencySlackMillis", latencySlackMillis);
        map.put("maxOutputDrift", maxOutputDrift);
        map.put("minLabels", minLabels);
        map.put("maxAccuracyLoss", maxAccuracyLoss);
        return map;
    }

    /**
     * This policy with the named settings replaced (values as numbers or their text).
     *
     * @throws IllegalArgumentException naming an unknown setting or a value out of range
     */
    public RolloutPolicy with(Map<String, ?> changes) {
        Map<String, Object> map = asMap();
        for (Map.Entry<String, ?> change : changes.entrySet()) {
            if (!map.containsKey(change.getKey())) {
                throw new IllegalArgumentException("unknown rollout setting '" + change.getKey() + "' (settings: "
                        + String.join(", ", map.keySet()) + ")");
            }
            double value;
            try {
                value = change.getValue() instanceof Number n ? n.doubleValue()
                        : Double.parseDouble(String.valueOf(change.getValue()).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rollout setting " + change.getKey() + ": '" + change.getValue()
                        + "' is not a number");
            }
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("rollout setting " + change.getKey() + " must be finite");
            }
            map.put(change.getKey(), map.get(change.getKey()) instanceof Long ? (Object) Math.round(value) : value);
        }
        return new RolloutPolicy(n(map, "shadowRequests"), n(map, "shadowSeconds"), d(map, "canaryShare"),
                n(map, "canaryRequests"), n(map, "canarySeconds"), n(map, "minRequests"), d(map, "maxErrorRate"),
                d(map, "maxLatencyRatio"), d(map, "latencySlackMillis"), d(map, "maxOutputDrift"),
                n(map, "minLabels"), d(map, "maxAccuracyLoss"));
    }

    private static long n(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).longValue();
    }

    private static double d(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }
}
