package io.edgeai.models.internal;

import static io.edgeai.api.model.ModelRegistry.Source.UPLOAD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelHost;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.model.Rollout;
import io.edgeai.api.model.RolloutPolicy;
import io.edgeai.api.model.RolloutStage;
import io.edgeai.api.model.TrialFigures;
import io.edgeai.api.monitoring.Labels;
import io.edgeai.api.monitoring.LiveScore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Staged rollouts through the registry, against a host whose trial figures the test sets: stages follow the policy,
 * each guard rail rolls a version back with its reason and leaves the active version serving, a rollout survives a
 * restart, and the registry's other changes respect a running rollout.
 */
public class RolloutTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path root;
    private final List<String> calls = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final List<String> ended = new ArrayList<>();
    private final Map<String, LiveScore> scores = new HashMap<>();
    private Instant now = Instant.parse("2026-12-05T10:00:00Z");
    /** The figures the host reports for the version on trial, by stage. */
    private TrialFigures figures;
    private RolloutStage stage;
    private Registry registry;

    private final ModelHost host = new ModelHost() {
        @Override
        public void check(ModelVersion version, Path directory) {
        }

        @Override
        public Activation prepare(ModelVersion version, Path directory) {
            calls.add("prepare " + version.version());
            return new Activation() {
                private boolean onTrial;

                @Override
                public void commit() {
                    calls.add("commit " + version.version());
                }

                @Override
                public void abort() {
                    onTrial = false;
                    calls.add("abort " + version.version());
                }

                @Override
                public void trial(RolloutStage next, double share) {
                    onTrial = true;
                    stage = next;
                    figures = RolloutTest.figures(next, 0, 0, 0, 0);
                    calls.add("trial " + version.version() + " " + next + (next == RolloutStage.CANARY ? " " + share
                            : ""));
                }

                @Override
                public TrialFigures figures() {
                    return onTrial ? figures : null;
                }
            };
        }

        @Override
        public void remove(String model) {
        }
    };

    private final Labels labels = new Labels() {
        @Override
        public String label(String deviceId, byte[] json) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LiveScore liveScore(String model, int version) {
            return scores.getOrDefault(model + version, LiveScore.NONE);
        }
    };

    private static TrialFigures figures(RolloutStage stage, long compared, long errors, double p99, double drift) {
        return new TrialFigures(stage, compared, compared, errors, 0, 0, p99, 1.0, drift, drift);
    }

    @Before
    public void setUp() throws Exception {
        root = temp.newFolder("models").toPath();
        registry = newRegistry(Map.of());
        register(2);
        registry.promote("m", 1);
        events.clear();
        calls.clear();
    }

    private Registry newRegistry(Map<String, Object> config) {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        RolloutPolicy policy = new RolloutPolicy(100, 60, 0.25, 100, 0, 20, 0.01, 2.0, 20, 0.5, 30, 0.1).with(config);
        return new Registry(new ModelStore(root), new ModelArchive.Limits(10_000_000, 20_000_000, 100),
                new Registry.SignaturePolicy(new TrustStore(temp.getRoot().toPath().resolve("trust")), false, true),
                () -> host, (topic, props) -> events.add(topic.substring(topic.lastIndexOf('/') + 1) + " "
                + props.get("version") + (props.containsKey("state") ? " " + props.get("state") : "")),
                reason -> { }, new Registry.RolloutSettings(model -> policy, () -> labels,
                        (model, state) -> ended.add(model + " " + state), clock));
    }

    private void register(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("model.json", RegistryTest.MODEL_JSON.getBytes(StandardCharsets.UTF_8));
            entries.put("model.pt", new byte[] {1, 2, (byte) i});
            registry.register("m", RegistryTest.zip(Files.createTempFile(temp.getRoot().toPath(), "a", ".zip"),
                    entries), null, UPLOAD);
        }
    }

    @Test
    public void aGoodVersionGoesShadowThenCanaryThenActive() throws Exception {
        Rollout started = registry.startRollout("m", 2, Map.of());
        assertEquals(Rollout.State.SHADOW, started.state());
        assertEquals(1, started.from());
        assertEquals(List.of("prepare 2", "trial 2 SHADOW"), calls);
        // enough requests, but the shadow stage lasts 60 s
        figures = figures(RolloutStage.SHADOW, 150, 0, 1.2, 0.05);
        registry.tickRollouts();
        assertEquals(Rollout.State.SHADOW, registry.rollout("m").orElseThrow().state());
        assertEquals(150, registry.rollout("m").orElseThrow().figures().compared());
        now = now.plusSeconds(61);
        registry.tickRollouts();
        assertEquals(Rollout.State.CANARY, registry.rollout("m").orElseThrow().state());
        assertEquals("trial 2 CANARY 0.25", calls.get(calls.size() - 1));
        assertEquals(1, registry.active("m").orElseThrow().version());
        figures = figures(RolloutStage.CANARY, 99, 0, 1.2, 0.05);
        registry.tickRollouts();
        assertEquals(Rollout.State.CANARY, registry.rollout("m").orElseThrow().state());
        figures = figures(RolloutStage.CANARY, 100, 0, 1.2, 0.05);
        registry.tickRollouts();
        Rollout done = registry.rollout("m").orElseThrow();
        assertEquals(Rollout.State.COMPLETED, done.state());
        assertEquals("", done.reason());
        assertEquals("the shadow stage's figures are kept", List.of(figures(RolloutStage.SHADOW, 150, 0, 1.2, 0.05)),
                done.passed());
        assertEquals(done.passed(), newRegistry(Map.of()).rollout("m").orElseThrow().passed());
        assertEquals(2, registry.active("m").orElseThrow().version());
        assertEquals("commit 2", calls.get(calls.size() - 1));
        assertFalse("the loaded version is the one made active: no second load", calls.subList(2, calls.size())
                .contains("prepare 2"));
        assertEquals(List.of("ROLLOUT 2 SHADOW", "ROLLOUT 2 CANARY", "PROMOTED 2", "ROLLOUT 2 COMPLETED"), events);
        assertEquals(List.of("m COMPLETED"), ended);
        // rolling back by hand still goes to the version it replaced
        assertEquals(1, registry.rollback("m").version());
    }

    @Test
    public void aBiasedVersionIsRolledBackInCanaryAndTheActiveVersionStays() throws Exception {
        registry.startRollout("m", 2, Map.of("shadowRequests", 0, "shadowSeconds", 0));
        assertEquals(Rollout.State.CANARY, registry.rollout("m").orElseThrow().state());
        figures = figures(RolloutStage.CANARY, 19, 0, 1.0, 3.0);
        registry.tickRollouts();
        assertEquals("fewer than minRequests compared: no judgement yet", Rollout.State.CANARY,
                registry.rollout("m").orElseThrow().state());
        figures = figures(RolloutStage.CANARY, 20, 0, 1.0, 3.0);
        registry.tickRollouts();
        Rollout done = registry.rollout("m").orElseThrow();
        assertEquals(Rollout.State.ROLLED_BACK, done.state());
        assertTrue(done.reason(), done.reason().startsWith("output drift 3.00 (mean |difference| from the active"
                + " version's outputs on the same 20 requests, in its standard deviations; bias +3.00; at most 0.50)"));
        assertEquals("abort 2", calls.get(calls.size() - 1));
        assertEquals(1, registry.active("m").orElseThrow().version());
        assertEquals(List.of("m ROLLED_BACK"), ended);
        assertEquals("ROLLOUT 2 ROLLED_BACK", events.get(events.size() - 1));
        // what happened is still told after a restart
        Rollout remembered = newRegistry(Map.of()).rollout("m").orElseThrow();
        assertEquals(done.reason(), remembered.reason());
        assertEquals(20, remembered.figures().compared());
    }

    @Test
    public void errorsAndLatencyBreachTheirGuardRails() throws Exception {
        registry.startRollout("m", 2, Map.of());
        figures = figures(RolloutStage.SHADOW, 40, 1, 1.0, 0.0);
        registry.tickRollouts();
        assertEquals("1 of 40 is 2.5 %", Rollout.State.ROLLED_BACK, registry.rollout("m").orElseThrow().state());
        assertTrue(registry.rollout("m").orElseThrow().reason().startsWith("error rate 2.5 % (1 of 40 compared"));

        registry.startRollout("m", 2, Map.of());
        figures = figures(RolloutStage.SHADOW, 40, 0, 15.0, 0.0);
        registry.tickRollouts();
        assertEquals("15 ms is 15x the active's 1 ms but only 14 ms more: within the slack", Rollout.State.SHADOW,
                registry.rollout("m").orElseThrow().state());
        figures = figures(RolloutStage.SHADOW, 40, 0, 25.0, 0.0);
        registry.tickRollouts();
        assertEquals("p99 latency 25.0 ms against the active version's 1.0 ms (at most 2.0x and 20 ms more)",
                registry.rollout("m").orElseThrow().reason());
        assertEquals(List.of("m ROLLED_BACK", "m ROLLED_BACK"), ended);
    }

    @Test
    public void theCanarysLiveAccuracyIsComparedOnTheLabelsSinceTheCanaryBegan() throws Exception {
        scores.put("m1", new LiveScore(0, 0, 500, 100)); // the active version's labels before the rollout
        registry.startRollout("m", 2, Map.of("shadowRequests", 0, "shadowSeconds", 0));
        figures = figures(RolloutStage.CANARY, 50, 0, 1.0, 0.1);
        scores.put("m1", new LiveScore(0, 0, 540, 136)); // 36 of 40 since: 90 %
        scores.put("m2", new LiveScore(0, 0, 29, 10));
        registry.tickRollouts();
        Rollout running = registry.rollout("m").orElseThrow();
        assertEquals("29 labels: fewer than minLabels", Rollout.State.CANARY, running.state());
        assertEquals(0.9, running.labels().activeScore(), 1e-9);
        scores.put("m2", new LiveScore(0, 0, 30, 10));
        registry.tickRollouts();
        Rollout done = registry.rollout("m").orElseThrow();
        assertEquals(Rollout.State.ROLLED_BACK, done.state());
        assertEquals("live accuracy 33.3 % on 30 labels against the active version's 90.0 % on 40 (at most 10.0"
                + " points less)", done.reason());
    }

    @Test
    public void aRunningRolloutIsTakenUpAgainAfterARestart() throws Exception {
        registry.startRollout("m", 2, Map.of("shadowRequests", 0, "shadowSeconds", 0));
        registry.suspendRollouts(); // the gateway stops
        assertEquals("abort 2", calls.get(calls.size() - 1));
        calls.clear();
        Registry restarted = newRegistry(Map.of());
        assertEquals(Rollout.State.CANARY, restarted.rollout("m").orElseThrow().state());
        restarted.serveActive(host);
        assertEquals(List.of("prepare 1", "commit 1", "prepare 2", "trial 2 CANARY 0.25"), calls);
        figures = figures(RolloutStage.CANARY, 100, 0, 1.0, 0.1);
        restarted.tickRollouts();
        assertEquals(Rollout.State.COMPLETED, restarted.rollout("m").orElseThrow().state());
        assertEquals(2, restarted.active("m").orElseThrow().version());
    }

    @Test
    public void whatARolloutRefusesAndWhatStopsIt() throws Exception {
        assertThrows(InvalidModelException.class, () -> registry.startRollout("m", 1, Map.of()));
        assertThrows(InvalidModelException.class, () -> registry.startRollout("m", 9, Map.of()));
        String unknown = assertThrows(InvalidModelException.class, () -> registry.startRollout("m", 2,
                Map.of("canaryShares", 0.5))).getMessage();
        assertTrue(unknown, unknown.startsWith("unknown rollout setting 'canaryShares'"));
        assertThrows(InvalidModelException.class, () -> registry.startRollout("m", 2, Map.of("canaryShare", 1.5)));
        assertThrows(InvalidModelException.class, () -> registry.startRollout("m", 2, Map.of("shadowRequests", 0,
                "shadowSeconds", 0, "canaryShare", 0)));
        assertThrows(InvalidModelException.class, () -> registry.stopRollout("m", "by hand"));
        registry.startRollout("m", 2, Map.of());
        assertThrows(InvalidModelException.class, () -> registry.startRollout("m", 2, Map.of()));
        assertThrows(InvalidModelException.class, () -> registry.delete("m", 2));
        assertEquals(Rollout.State.STOPPED, registry.stopRollout("m", "stopped by an operator").state());
        assertEquals("abort 2", calls.get(calls.size() - 1));
        registry.startRollout("m", 2, Map.of());
        registry.promote("m", 2);
        Rollout stopped = registry.rollout("m").orElseThrow();
        assertEquals(Rollout.State.STOPPED, stopped.state());
        assertEquals("stopped: version 2 was promoted by hand", stopped.reason());
        assertEquals(2, registry.active("m").orElseThrow().version());
        assertEquals(List.of("m STOPPED", "m STOPPED"), ended);
    }

    @Test
    public void perModelSettingsOverTheDefaults() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("rollout.canaryShare", "0.3");
        properties.put("rollout.pump.v2.canaryShare", "0.5");
        properties.put("rollout.pump.v2.shadowRequests", "10");
        properties.put("rollout.pump.v2.nonsense", "1");
        properties.put("rollout.other.maxErrorRate", "7");
        RolloutPolicies policies = new RolloutPolicies(config(0.3), properties);
        assertEquals(0.5, policies.policy("pump.v2").canaryShare(), 0);
        assertEquals(10, policies.policy("pump.v2").shadowRequests());
        assertEquals(0.3, policies.policy("m").canaryShare(), 0);
        assertEquals("out of range: left out", 0.01, policies.policy("other").maxErrorRate(), 0);
        assertEquals(Duration.ZERO.getSeconds(), policies.policy("m").shadowSeconds());
    }

    private static RegistryConfig config(double canaryShare) {
        return (RegistryConfig) java.lang.reflect.Proxy.newProxyInstance(RegistryConfig.class.getClassLoader(),
                new Class<?>[] {RegistryConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("rollout_canaryShare")) {
                        return canaryShare;
                    }
                    return method.getDefaultValue();
                });
    }

}
