package io.edgeai.preprocess.internal;

import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.PipelineFit;
import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.Pipelines;
import io.edgeai.api.preprocess.Step;
import io.edgeai.api.preprocess.StepFactory;
import io.edgeai.api.reading.Reading;
import io.edgeai.preprocess.internal.steps.BuiltInSteps;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one {@link Pipeline} service ({@code pipeline.name=<name>}) per pipeline file in {@code etc/} and
 * {@code deploy/} ({@code <name>.pipeline.yaml}, {@code .yml}, {@code .json}), looks at the folders for changes every
 * {@code scanIntervalMillis}, and builds steps from the built-in types and the {@link StepFactory} whiteboard. The
 * service of a pipeline stays registered across revisions: a change never leaves a moment without a pipeline.
 */
@Component(service = {Pipelines.class, HealthIndicator.class, MeterBinder.class}, immediate = true,
        configurationPid = "io.edgeai.preprocess")
@Designate(ocd = PreprocessConfig.class)
public class PipelineManager implements Pipelines, HealthIndicator, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineManager.class);

    private final Map<String, StepFactory> factories = new ConcurrentHashMap<>();
    private final Map<LivePipeline, ServiceRegistration<Pipeline>> registrations = new ConcurrentHashMap<>();
    private volatile PipelineFiles files;
    /** The counters of each published pipeline ({@code edgeai.pipeline.*}, tagged {@code pipeline}). */
    private final MeterSet meters = new MeterSet();
    private volatile PipelineCatalog catalog;
    private ScheduledExecutorService scanner;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStepFactory(StepFactory factory, Map<String, Object> properties) {
        Object type = properties.get(StepFactory.TYPE_PROPERTY);
        if (type instanceof String name) {
            factories.put(name, factory);
            PipelineFiles currentFiles = files;
            PipelineCatalog currentCatalog = catalog;
            if (currentFiles != null && currentCatalog != null) {
                currentCatalog.refusedFiles().forEach(currentFiles::forget); // they may load now
            }
        }
    }

    void unbindStepFactory(StepFactory factory, Map<String, Object> properties) {
        Object type = properties.get(StepFactory.TYPE_PROPERTY);
        if (type instanceof String name) {
            factories.remove(name, factory);
        }
    }

    @Activate
    void activate(BundleContext context, PreprocessConfig config) {
        Path base = Paths.get(System.getProperty("karaf.base", "."));
        List<Path> folders = new ArrayList<>();
        for (String folder : config.folders().split(",")) {
            if (!folder.isBlank()) {
                folders.add(base.resolve(folder.trim()).toAbsolutePath().normalize());
            }
        }
        Path stateFolder = Paths.get(System.getProperty("karaf.data", base.resolve("data").toString()))
                .resolve(config.stateFolder()).toAbsolutePath().normalize();
        catalog = new PipelineCatalog(stateFolder, types(), new PipelineCatalog.Services() {
            @Override
            public void added(LivePipeline pipeline) {
                Hashtable<String, Object> properties = new Hashtable<>();
                properties.put(Pipeline.NAME_PROPERTY, pipeline.name());
                registrations.put(pipeline, context.registerService(Pipeline.class, pipeline, properties));
                pipeline.meter(meters);
            }

            @Override
            public void removed(LivePipeline pipeline) {
                meters.remove("pipeline", pipeline.name());
                ServiceRegistration<Pipeline> registration = registrations.remove(pipeline);
                if (registration != null) {
                    registration.unregister();
                }
            }
        });
        files = new PipelineFiles(folders);
        files.scan(catalog, false); // before connectors start: the default pipeline is there from the first reading
        scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "edgeai-pipeline-files");
            thread.setDaemon(true);
            return thread;
        });
        scanner.scheduleWithFixedDelay(this::scan, config.scanIntervalMillis(), config.scanIntervalMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("Pipelines from {}: {}", folders, catalog.names());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    private void scan() {
        try {
            files.scan(catalog, false);
        } catch (RuntimeException e) {
            LOG.error("Looking for pipeline files failed: {}", e.toString());
        }
    }

    @Modified
    void modified(PreprocessConfig config) {
        LOG.info("Preprocessing configuration changed: folders and intervals apply after a restart of the bundle");
    }

    @Deactivate
    void deactivate() {
        scanner.shutdownNow();
        try {
            scanner.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catalog.clear();
    }

    /**
     * Types the definitions can use: the whiteboard's (which may replace a built-in one), else the built-in ones,
     * which are there even before their own services are registered.
     */
    private Function<String, Function<Map<String, Object>, Step>> types() {
        return type -> {
            StepFactory factory = factories.get(type);
            return factory != null ? factory::create : BuiltInSteps.types().get(type);
        };
    }

    @Override
    public List<PipelineStatus> list() {
        return catalog.list();
    }

    @Override
    public Optional<PipelineStatus> status(String name) {
        return catalog.status(name);
    }

    @Override
    public Pipeline restore(String name, byte[] serialized) {
        return catalog.restore(name, serialized);
    }

    @Override
    public PipelineFit fit(String definition, List<Reading> training) {
        return catalog.fit(definition, training);
    }

    @Override
    public Health health() {
        List<PipelineStatus> all = list();
        long failed = all.stream().filter(p -> p.state() == PipelineStatus.State.FAILED).count();
        long refused = all.stream().filter(p -> p.error() != null).count();
        String summary = all.size() + " pipelines" + (failed > 0 ? ", " + failed + " failed" : "")
                + (refused > failed ? ", " + (refused - failed) + " with a refused change" : "");
        return new Health("preprocess", failed > 0 ? Status.DEGRADED : Status.UP, summary);
    }
}
