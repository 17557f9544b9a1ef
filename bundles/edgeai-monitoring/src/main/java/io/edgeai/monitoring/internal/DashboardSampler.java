package io.edgeai.monitoring.internal;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's memory: every {@code dashboardIntervalSeconds} it reads the gateway's meters (the same registry
 * {@code GET /metrics} serves) and keeps, for the last {@code dashboardMinutes}, each counter's rate per second, each
 * gauge's value, and each histogram's rate, mean and 50th / 95th / 99th percentiles over the interval (from the increase of
 * its buckets, milliseconds for timers). The dashboard so shows the recent past as soon as it opens, and a scrape by
 * Prometheus is not disturbed.
 */
@Component(service = DashboardSampler.class, immediate = true, configurationPid = "io.edgeai.monitoring")
public class DashboardSampler {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardSampler.class);
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private static final String[] QUANTILE_NAMES = {"p50", "p95", "p99"};

    /** One sampled line: a meter's name and tags and what is kept of it. */
    public record Key(String name, Map<String, String> tags, String kind) {
    }

    /** The coarse ring's interval: a minute. */
    static final long COARSE_MILLIS = 60_000;

    private final MetricsComponent metrics;
    private final ScheduledExecutorService timer;
    private final long intervalMillis;
    /** The recent past at the configured interval, and a longer past a minute a sample. */
    private final Ring fine;
    private final Ring coarse;

    @Activate
    public DashboardSampler(@Reference MetricsComponent metrics, MonitoringConfig config) {
        this.metrics = metrics;
        this.intervalMillis = Math.max(200, Math.round(config.dashboardIntervalSeconds() * 1000));
        this.fine = new Ring(intervalMillis, (int) Math.max(10, config.dashboardMinutes() * 60_000L
                / intervalMillis));
        this.coarse = new Ring(COARSE_MILLIS, Math.max(10, config.dashboardHours() * 60));
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "edgeai-dashboard-sampler");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::sampleQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    private void sampleQuietly() {
        try {
            sample(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.warn("Dashboard sample failed: {}", e.toString());
        }
    }

    /** Takes one sample of every meter; one for the coarse ring too when a minute has passed since its last. */
    synchronized void sample(long nowMillis) {
        metrics.refresh();
        fine.sample(nowMillis);
        if (coarse.lastMillis == 0 || nowMillis - coarse.lastMillis >= COARSE_MILLIS - intervalMillis / 2) {
            coarse.sample(nowMillis);
        }
    }

    /** The samples of the configured interval, oldest first. */
    public synchronized Samples samples() {
        return fine.samples(Long.MAX_VALUE);
    }

    /**
     * The samples of the last {@code windowMillis}: at the configured interval when the fine ring spans the window,
     * else a minute apart (from the coarse ring, which keeps {@code dashboardHours}).
     */
    public synchronized Samples samples(long windowMillis) {
        return windowMillis <= fine.capacity * fine.intervalMillis ? fine.samples(windowMillis)
                : coarse.samples(windowMillis);
    }

    /** How far back the samples go at most, in milliseconds. */
    long spanMillis() {
        return Math.max(fine.capacity * fine.intervalMillis, coarse.capacity * coarse.intervalMillis);
    }

    /** Samples a given interval apart, as many as fit; each ring computes its rates and percentiles over its own interval. */
    private final class Ring {

        private final long intervalMillis;
        private final int capacity;
        private final long[] times;
        private final Map<Key, double[]> series = new LinkedHashMap<>();
        private final Map<String, Double> lastCounts = new HashMap<>();
        private final Map<String, long[]> lastBuckets = new HashMap<>();
        private final Map<String, double[]> lastTotals = new HashMap<>();
        private int next;
        private int size;
        private long lastMillis;

        Ring(long intervalMillis, int capacity) {
            this.intervalMillis = intervalMillis;
            this.capacity = capacity;
            this.times = new long[capacity];
        }

        /** Takes one sample of every meter. */
        void sample(long nowMillis) {
            double seconds = lastMillis == 0 ? 0 : (nowMillis - lastMillis) / 1000.0;
            lastMillis = nowMillis;
            int at = next;
            times[at] = nowMillis;
            for (double[] values : series.values()) {
                values[at] = Double.NaN;
            }
            double heap = 0;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Meter meter : metrics.registry().getMeters()) {
                String name = meter.getId().getName();
                if (name.equals("jvm.memory.used") && "heap".equals(meter.getId().getTag("area"))) {
                    heap += ((Gauge) meter).value();
                    continue;
                }
                if (!name.startsWith("edgeai.") && !name.equals("process.resident.memory")
                        && !name.equals("process.cpu.usage")) {
                    continue;
                }
                Map<String, String> tags = new LinkedHashMap<>();
                for (Tag tag : meter.getId().getTags()) {
                    tags.put(tag.getKey(), tag.getValue());
                }
                String id = name + tags;
                seen.add(id);
                if (meter instanceof FunctionCounter counter) {
                    put(new Key(name, tags, "rate"), at, rate(id, counter.count(), seconds));
                } else if (meter instanceof Gauge gauge) {
                    put(new Key(name, tags, "value"), at, gauge.value());
                } else if (meter instanceof Timer t) {
                    HistogramSnapshot snapshot = t.takeSnapshot();
                    mean(name, tags, id, snapshot.count(), snapshot.total(TimeUnit.MILLISECONDS), at);
                    histogram(name, tags, id, snapshot, true, at, seconds);
                } else if (meter instanceof DistributionSummary d) {
                    HistogramSnapshot snapshot = d.takeSnapshot();
                    mean(name, tags, id, snapshot.count(), snapshot.total(), at);
                    histogram(name, tags, id, snapshot, false, at, seconds);
                }
            }
            put(new Key("jvm.heap.used", Map.of(), "value"), at, heap);
            next = (at + 1) % capacity;
            size = Math.min(capacity, size + 1);
            lastCounts.keySet().retainAll(seen);
            lastBuckets.keySet().retainAll(seen);
            lastTotals.keySet().retainAll(seen);
            if (at == 0) { // once a lap: forget the lines of meters gone for the whole span kept
                series.values().removeIf(values -> Arrays.stream(values).allMatch(Double::isNaN));
            }
        }

        /**
         * The rate of a count since the last sample; a count that went back (its component restarted) starts over. A
         * meter that appeared since the last sample counts from 0 (meters appear with their first count); one there at
         * the first sample has no rate yet.
         */
        private double rate(String id, double count, double seconds) {
            Double last = lastCounts.put(id, count);
            if (seconds <= 0) {
                return Double.NaN;
            }
            if (last == null) {
                last = 0.0;
            }
            double increase = count >= last ? count - last : count;
            return increase / seconds;
        }

        /** The mean of the values recorded since the last sample (milliseconds for timers); none when none were. */
        private void mean(String name, Map<String, String> tags, String id, long count, double total, int at) {
            double[] last = lastTotals.put(id, new double[] {count, total});
            double before = last == null ? 0 : last[0];
            if (count > before) {
                put(new Key(name, tags, "mean"), at, (total - (last == null ? 0 : last[1])) / (count - before));
            }
        }

        private void histogram(String name, Map<String, String> tags, String id, HistogramSnapshot snapshot,
                boolean millis, int at, double seconds) {
            Double lastCount = lastCounts.get(id);
            put(new Key(name, tags, "rate"), at, rate(id, snapshot.count(), seconds));
            CountAtBucket[] buckets = snapshot.histogramCounts();
            long[] now = new long[buckets.length];
            double[] bounds = new double[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                now[i] = (long) buckets[i].count();
                bounds[i] = millis ? buckets[i].bucket(TimeUnit.MILLISECONDS) : buckets[i].bucket();
            }
            long[] last = lastBuckets.put(id, now);
            if (seconds > 0 && lastCount == null) { // appeared since the last sample: counted from nothing
                lastCount = 0.0;
                last = new long[now.length];
            }
            if (lastCount == null || last == null || last.length != now.length || snapshot.count() <= lastCount) {
                return; // nothing new (or the histogram started over): no percentiles for this interval
            }
            long total = snapshot.count() - lastCount.longValue();
            long[] increase = new long[now.length];
            for (int i = 0; i < now.length; i++) {
                increase[i] = Math.max(0, now[i] - last[i]); // cumulative: bucket i counts every value <= bounds[i]
            }
            for (int q = 0; q < QUANTILES.length; q++) {
                put(new Key(name, tags, QUANTILE_NAMES[q]), at, quantile(bounds, increase, total, QUANTILES[q]));
            }
        }

        private void put(Key key, int at, double value) {
            double[] values = series.computeIfAbsent(key, k -> {
                double[] fresh = new double[capacity];
                Arrays.fill(fresh, Double.NaN);
                return fresh;
            });
            values[at] = value;
        }

        /**
         * The samples kept of the last {@code windowMillis} before the newest, oldest first: times (epoch millis) and
         * every line, NaN where a meter had no value.
         */
        Samples samples(long windowMillis) {
            int count = size;
            long newest = size == 0 ? 0 : times[(next - 1 + capacity) % capacity];
            while (count > 0 && newest - times[(next - count + capacity) % capacity] > windowMillis) {
                count--;
            }
            int kept = count;
            long[] t = new long[kept];
            int start = (next - kept + capacity) % capacity;
            for (int i = 0; i < kept; i++) {
                t[i] = times[(start + i) % capacity];
            }
            Map<Key, double[]> lines = new LinkedHashMap<>();
            series.forEach((key, values) -> {
                double[] line = new double[kept];
                boolean any = false;
                for (int i = 0; i < kept; i++) {
                    line[i] = values[(start + i) % capacity];
                    any |= !Double.isNaN(line[i]);
                }
                if (any) {
                    lines.put(key, line);
                }
            });
            return new Samples(intervalMillis, t, lines);
        }
    }

    /**
     * The q-quantile of values counted in cumulative buckets ({@code cumulative[i]} values at most {@code bounds[i]}),
     * interpolated linearly within its bucket as Prometheus' {@code histogram_quantile} does; the largest bound for
     * values beyond it.
     */
    static double quantile(double[] bounds, long[] cumulative, long total, double q) {
        double rank = q * total;
        double lower = 0;
        long below = 0;
        for (int i = 0; i < bounds.length; i++) {
            if (cumulative[i] >= rank && cumulative[i] > below) {
                return lower + (bounds[i] - lower) * (rank - below) / (cumulative[i] - below);
            }
            lower = bounds[i];
            below = cumulative[i];
        }
        return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
    }

    /** What {@link #samples()} gives. */
    public record Samples(long intervalMillis, long[] times, Map<Key, double[]> lines) {

        /** The lines of one meter name and kind. */
        public List<Map.Entry<Key, double[]>> of(String name, String kind) {
            List<Map.Entry<Key, double[]>> found = new ArrayList<>();
            lines.forEach((key, values) -> {
                if (key.name().equals(name) && key.kind().equals(kind)) {
                    found.add(Map.entry(key, values));
                }
            });
            return found;
        }
    }
}
