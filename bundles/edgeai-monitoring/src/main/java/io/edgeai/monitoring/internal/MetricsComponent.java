package io.edgeai.monitoring.internal;

import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.ServingStats;
import io.edgeai.api.monitoring.Metrics;
import io.edgeai.api.monitoring.Recorder;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's meters in one Micrometer registry, scraped in the Prometheus format. The components own their meters:
 * each offers a Micrometer {@link MeterBinder} service (usually an {@link io.edgeai.api.monitoring.MeterSet}) that this
 * registry binds while the service is there, each binder into a composite registry of its own so that its meters leave
 * with it (a stopped connector, an uninstalled feature). Histograms are recorded through {@link Recorder}. JVM and
 * process meters come from Micrometer's binders and {@code /proc/self/status}.
 */
@Component(service = {Metrics.class, Recorder.class, MetricsComponent.class}, immediate = true)
public class MetricsComponent implements Metrics, Recorder {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    /**
     * Histogram buckets: a fixed 1-2.5-5 ladder from 0.1 ms to 10 s for timers and powers of two up to 1,024 for
     * amounts, so that each histogram costs 17 or 12 series whatever it records (a gateway watching a stream per
     * device has many).
     */
    private static final Duration[] TIMER_BUCKETS = Stream.of(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500,
            1000, 2500, 5000, 10000).map(ms -> Duration.ofNanos(Math.round(ms.doubleValue() * 1e6)))
            .toArray(Duration[]::new);
    private static final double[] AMOUNT_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** The histograms components record into, by kind, name and tags, with their meter. */
    private final Map<String, Recorded> histograms = new ConcurrentHashMap<>();
    /** Each bound binder's own registry, whose meters are also the Prometheus registry's. */
    private final Map<MeterBinder, CompositeMeterRegistry> bound = new ConcurrentHashMap<>();

    private record Recorded(Meter meter, Histogram histogram) {
    }

    /** Only to drop the histograms of model versions that no longer serve. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile InferenceService inference;

    public MetricsComponent() {
        // no pause detection: it needs LatencyUtils, and the gateway's timers measure work, not a load generator
        registry.config().pauseDetector(new NoPauseDetector());
    }

    @Activate
    void activate() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("process.resident.memory", MetricsComponent::residentBytes).baseUnit("bytes")
                .description("Resident set size of the gateway's process (VmRSS)").register(registry);
    }

    @Deactivate
    void deactivate() {
        new ArrayList<>(bound.keySet()).forEach(this::unbindMeters);
        gc.close();
        registry.close();
    }

    /** A component's meters: bound into a composite of its own over the Prometheus registry. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMeters(MeterBinder binder) {
        CompositeMeterRegistry own = new CompositeMeterRegistry(Clock.SYSTEM, List.of(registry));
        own.config().pauseDetector(new NoPauseDetector());
        bound.put(binder, own);
        try {
            binder.bindTo(own);
        } catch (RuntimeException e) {
            LOG.warn("Meters of {} not bound: {}", binder.getClass().getName(), e.toString());
        }
    }

    /** The component left: its meters leave the Prometheus registry. */
    void unbindMeters(MeterBinder binder) {
        CompositeMeterRegistry own = bound.remove(binder);
        if (own != null) {
            for (Meter meter : own.getMeters()) {
                own.remove(meter);
            }
            own.remove(registry);
            own.close();
        }
    }

    @Override
    public String scrape() {
        refresh();
        return registry.scrape();
    }
    @Override
    public Histogram timer(String name, String description, String... tags) {
        return histograms.computeIfAbsent("timer " + name + Arrays.toString(tags), key -> {
            Timer timer = Timer.builder(name).tags(tags).description(description)
                    .serviceLevelObjectives(TIMER_BUCKETS).register(registry);
            return new Recorded(timer, nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
        }).histogram();
    }

    @Override
    public Histogram distribution(String name, String description, String... tags) {
        return histograms.computeIfAbsent("summary " + name + Arrays.toString(tags), key -> {
            DistributionSummary summary = DistributionSummary.builder(name).tags(tags).description(description)
                    .serviceLevelObjectives(AMOUNT_BUCKETS).register(registry);
            return new Recorded(summary, summary::record);
        }).histogram();
    }

    /** The registry's meters, for the dashboard's sampler. */
    MeterRegistry registry() {
        return registry;
    }

    /** Drops the histograms of model versions that no longer serve: a gateway retraining for months would keep all. */
    void refresh() {
        InferenceService service = inference;
        if (service != null) {
            retire(model -> service.serving(model).map(ServingStats::version));
        }
    }

    /** Removes the histograms tagged with a model version that is not the one serving its model (none: all). */
    void retire(java.util.function.Function<String, Optional<Integer>> servingVersion) {
        histograms.entrySet().removeIf(entry -> {
            Meter.Id id = entry.getValue().meter().getId();
            String model = id.getTag("model");
            String version = id.getTag("version");
            if (model == null || version == null || !id.getName().startsWith("edgeai.model.")) {
                return false;
            }
            boolean serving = servingVersion.apply(model).map(v -> String.valueOf(v).equals(version)).orElse(false);
            if (!serving) {
                registry.remove(entry.getValue().meter());
            }
            return !serving;
        });
    }

    /** VmRSS from /proc/self/status, in bytes; NaN where there is no such file. */
    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
