package io.edgeai.monitoring.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.monitoring.Meters;
import io.edgeai.api.monitoring.Recorder;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class DashboardSamplerTest {

    private final MetricsComponent metrics = new MetricsComponent();
    private DashboardSampler sampler;

    /** The configuration's defaults, the sampler's timer set far apart so that only the test samples. */
    private static MonitoringConfig config() {
        return (MonitoringConfig) Proxy.newProxyInstance(MonitoringConfig.class.getClassLoader(),
                new Class<?>[] {MonitoringConfig.class}, (proxy, method, args) -> method.getName()
                        .equals("dashboardIntervalSeconds") ? 3600.0 : method.getDefaultValue());
    }

    @Before
    public void start() {
        metrics.activate();
        sampler = new DashboardSampler(metrics, config());
    }

    @After
    public void stop() {
        sampler.deactivate();
        metrics.deactivate();
    }

    private static double[] line(DashboardSampler.Samples samples, String name, String kind, String tag) {
        List<Map.Entry<DashboardSampler.Key, double[]>> found = samples.of(name, kind);
        return found.stream().filter(e -> e.getKey().tags().containsValue(tag)).findFirst().orElseThrow().getValue();
    }

    @Test
    public void quantilesInterpolateWithinCumulativeBuckets() {
        double[] bounds = {1, 2, 4, 8};
        long[] cumulative = {0, 50, 90, 100};
        assertEquals(1.5, DashboardSampler.quantile(bounds, cumulative, 100, 0.25), 1e-9);
        assertEquals(2.0, DashboardSampler.quantile(bounds, cumulative, 100, 0.5), 1e-9);
        assertEquals(3.0, DashboardSampler.quantile(bounds, cumulative, 100, 0.7), 1e-9);
        assertEquals(7.6, DashboardSampler.quantile(bounds, cumulative, 100, 0.99), 1e-9);
        // beyond the last bound: the last bound
        assertEquals(8.0, DashboardSampler.quantile(bounds, new long[] {0, 0, 0, 5}, 10, 0.9), 1e-9);
    }

    @Test
    public void eachSampleHoldsTheIntervalsRatesAndPercentiles() {
        Meters meters = new Meters(() -> metrics);
        Meters.Meter latency = meters.timer("edgeai.connector.latency", "test", "connector", "t");
        Recorder.Histogram first = metrics.timer("edgeai.connector.latency", "test", "connector", "t");
        assertTrue("the same histogram for the same name and tags",
                first == metrics.timer("edgeai.connector.latency", "test", "connector", "t"));
        latency.record(500_000_000L); // before the first sample: not in the first interval's percentiles
        sampler.sample(1_000_000);
        for (int ms = 1; ms <= 100; ms++) {
            latency.record(ms * 1_000_000L);
        }
        sampler.sample(1_002_000);
        sampler.sample(1_004_000); // nothing recorded: a rate of 0, no percentiles
        DashboardSampler.Samples samples = sampler.samples();
        assertArrayEquals(new long[] {1_000_000, 1_002_000, 1_004_000}, samples.times());
        double[] rate = line(samples, "edgeai.connector.latency", "rate", "t");
        assertTrue(Double.isNaN(rate[0]));
        assertEquals(50.0, rate[1], 1e-9); // 100 in 2 s
        assertEquals(0.0, rate[2], 1e-9);
        double[] p50 = line(samples, "edgeai.connector.latency", "p50", "t");
        double[] p99 = line(samples, "edgeai.connector.latency", "p99", "t");
        System.out.printf("p50 %.1f ms, p99 %.1f ms of 1..100 ms%n", p50[1], p99[1]);
        assertEquals(50.0, p50[1], 50 * 0.15);
        assertEquals(99.0, p99[1], 99 * 0.15);
        assertTrue(Double.isNaN(p50[2]));
        assertEquals(50.5, line(samples, "edgeai.connector.latency", "mean", "t")[1], 1e-6);
        assertTrue(samples.of("jvm.heap.used", "value").get(0).getValue()[2] > 0);
    }

    @Test
    public void longerWindowsComeFromSamplesAMinuteApart() {
        sampler.deactivate();
        // 2 s apart for a minute, and a minute apart for an hour
        sampler = new DashboardSampler(metrics, (MonitoringConfig) Proxy.newProxyInstance(
                MonitoringConfig.class.getClassLoader(), new Class<?>[] {MonitoringConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "dashboardIntervalSeconds" -> 2.0;
                    case "dashboardMinutes" -> 1;
                    case "dashboardHours" -> 1;
                    default -> method.getDefaultValue();
                }));
        Meters.Meter latency = new Meters(() -> metrics).timer("edgeai.connector.latency", "test", "connector", "w");
        long t0 = 10_000_000;
        for (int second = 0; second <= 300; second += 2) {
            for (int i = 0; i < 6; i++) { // 3 a second taking 100 ms, the last ones 1 s
                latency.record((second == 300 ? 1000 : 100) * 1_000_000L);
            }
            sampler.sample(t0 + second * 1000L);
        }
        DashboardSampler.Samples minute = sampler.samples(60_000);
        assertEquals(2000, minute.intervalMillis());
        assertEquals("as many as a minute holds", 30, minute.times().length);
        assertEquals(t0 + 300_000, minute.times()[29]);
        assertEquals(3.0, line(minute, "edgeai.connector.latency", "rate", "w")[29], 1e-9);

        DashboardSampler.Samples five = sampler.samples(300_000);
        assertEquals(60_000, five.intervalMillis());
        assertArrayEquals(new long[] {t0, t0 + 60_000, t0 + 120_000, t0 + 180_000, t0 + 240_000, t0 + 300_000},
                five.times());
        double[] rate = line(five, "edgeai.connector.latency", "rate", "w");
        assertEquals(3.0, rate[5], 1e-9); // over the minute, not over the last 2 s
        double last = line(minute, "edgeai.connector.latency", "p50", "w")[29];
        assertTrue("the last 2 s: " + last, last > 500); // within its histogram bucket
        double p50 = line(five, "edgeai.connector.latency", "p50", "w")[5];
        assertTrue("the minute's median: " + p50, p50 > 50 && p50 < 150);
        // the fine ring no longer spans that window: shorter ones still come from it
        assertTrue(sampler.samples(3_600_000).times().length == 6);
    }

    @Test
    public void histogramsOfVersionsThatNoLongerServeAreDropped() {
        Meters meters = new Meters(() -> metrics);
        meters.timer("edgeai.model.latency", "test", "model", "m", "version", "1").record(1_000_000);
        meters.timer("edgeai.model.latency", "test", "model", "m", "version", "2").record(1_000_000);
        meters.distribution("edgeai.model.batch.rows", "test", "model", "m", "version", "2").record(4);
        meters.timer("edgeai.connector.latency", "test", "connector", "c").record(1_000_000);
        metrics.retire(model -> model.equals("m") ? java.util.Optional.of(2) : java.util.Optional.empty());
        String scrape = metrics.scrape();
        assertTrue(scrape, scrape.contains("edgeai_model_latency_seconds_count{model=\"m\",version=\"2\"} 1"));
        assertTrue(scrape, scrape.contains("edgeai_model_batch_rows_count{model=\"m\",version=\"2\"} 1"));
        assertTrue(scrape, !scrape.contains("version=\"1\""));
        assertTrue(scrape, scrape.contains("edgeai_connector_latency_seconds_count{connector=\"c\"} 1"));
        // a model that no longer serves at all loses them all; a later record of the retired one starts it again
        metrics.retire(model -> java.util.Optional.empty());
        assertTrue(!metrics.scrape().contains("edgeai_model_"));
    }

    @Test
    public void theChartLibraryIsInTheBundle() {
        assertNotNull(DashboardServlet.UPLOT + " (is uplot.version in the pom the servlet's?)",
                DashboardServlet.class.getClassLoader().getResource(DashboardServlet.UPLOT + "uPlot.iife.min.js"));
    }
}
