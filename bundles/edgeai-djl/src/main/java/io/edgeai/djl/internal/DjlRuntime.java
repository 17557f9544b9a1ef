package io.edgeai.djl.internal;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.edgeai.api.engine.EngineInfo;
import io.edgeai.api.engine.EngineRuntime;
import io.edgeai.api.engine.EngineState;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.api.monitoring.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the PyTorch engine in the background and publishes it as {@link EngineRuntime} (and {@link HealthIndicator}),
 * with the service property {@code engine.state} going from STANDBY (nothing needed it yet) or LOADING to READY or
 * FAILED.
 *
 * <p>libtorch takes ~80 MB and seconds to load, and a gateway with no model (or only statistical detectors) never needs
 * it: so it loads when something first calls {@link #start()} (a model being checked or loaded, a training job), or at
 * activation with {@code preload = true} or a GPU named in {@code device} (which must be refused at start, not at the
 * first model).
 *
 * <p>The service is registered by hand rather than by DS so that its properties can follow the engine's state:
 * consumers wait for {@code (engine.state=READY)} instead of polling.
 */
@Component(service = {}, immediate = true, configurationPid = "io.edgeai.djl")
@Designate(ocd = DjlRuntimeConfig.class)
public class DjlRuntime implements EngineRuntime, HealthIndicator, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(DjlRuntime.class);

    /** Loading takes seconds (native libraries): never on the thread that activates us. */
    private final ExecutorService loader = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "edgeai-engine-loader");
        thread.setDaemon(true);
        return thread;
    });
    private final ServiceRegistration<?> registration;
    private volatile DjlSettings settings;
    private volatile boolean preload;
    private volatile EngineInfo info;
    /** Guards {@link #info}'s transitions and {@link #ready}; never held while loading. */
    private final Object state = new Object();
    /** Completes when the engine is ready or failed; a new one for each load. Guarded by {@link #state}. */
    private CompletableFuture<EngineInfo> ready = new CompletableFuture<>();
    private volatile boolean closed;
    /** The engine's gauges: which engine computes where (once it is loaded), and its threads. */
    private final MeterSet meters = new MeterSet();

    @Activate
    public DjlRuntime(BundleContext bundleContext, DjlRuntimeConfig config) {
        settings = DjlSettings.of(config);
        preload = config.preload();
        boolean now = loadsAtStart();
        info = now ? loading(settings) : standby(settings);
        registration = bundleContext.registerService(
                new String[] {EngineRuntime.class.getName(), HealthIndicator.class.getName(),
                        MeterBinder.class.getName()}, this, properties());
        if (now) {
            loader.execute(this::load);
        } else {
            LOG.info("{} engine in standby: {}", EngineLoader.ENGINE_NAME, info.reason());
        }
    }

    private boolean loadsAtStart() {
        return preload || DeviceChoice.needsEngine(settings.device());
    }

    private static EngineInfo loading(DjlSettings settings) {
        return new EngineInfo(EngineLoader.ENGINE_NAME, "", "", "", List.of(), settings.interOpThreads(),
                settings.intraOpThreads(), EngineState.LOADING, "loading native libraries", "", "");
    }

    private static EngineInfo standby(DjlSettings settings) {
        return new EngineInfo(EngineLoader.ENGINE_NAME, "", "", "", List.of(), settings.interOpThreads(),
                settings.intraOpThreads(), EngineState.STANDBY, "not loaded: libtorch loads when a model or a training"
                + " job first needs it (preload = true in etc/io.edgeai.djl.cfg loads it at start)", "", "");
    }

    @Override
    public CompletionStage<EngineInfo> start() {
        boolean load;
        CompletionStage<EngineInfo> stage;
        synchronized (state) {
            load = info.state() == EngineState.STANDBY && !closed;
            if (load) {
                settle(loading(settings));
            }
            stage = ready.minimalCompletionStage();
        }
        if (load) {
            LOG.info("Loading the {} engine: first needed now", EngineLoader.ENGINE_NAME);
            advertise();
            try {
                loader.execute(this::load); // after advertising LOADING, so that READY is advertised last
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                LOG.debug("Engine runtime stopped while the engine was asked for"); // deactivate() failed the future
            }
        }
        return stage;
    }

    @Modified
    void modified(DjlRuntimeConfig config) {
        DjlSettings previous = settings;
        settings = DjlSettings.of(config);
        preload = config.preload();
        boolean startNow = false;
        boolean standby = false;
        boolean apply = false;
        synchronized (state) { // decided and settled under the lock: a concurrent start() may be leaving STANDBY
            EngineState now = info.state();
            if (now == EngineState.STANDBY) {
                startNow = loadsAtStart();
                if (!startNow) {
                    settle(standby(settings));
                    standby = true;
                }
            } else {
                apply = !settings.equals(previous) && now != EngineState.LOADING;
            }
        }
        if (startNow) {
            start();
        } else if (standby) {
            advertise();
        } else if (apply) {
            LOG.info("Engine configuration changed; applying device and intra-op threads");
            load();
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        loader.shutdown();
        registration.unregister();
        synchronized (state) {
            ready.completeExceptionally(new IllegalStateException("the engine runtime stopped"));
        }
    }

    /** Loads the engine (a no-op in DJL when it already is) and applies device and threads. */
    private synchronized void load() {
        DjlSettings wanted = settings;
        try {
            Engine engine = EngineLoader.load(wanted);
            JniUtils.setNumThreads(wanted.intraOpThreads());
            DeviceChoice choice = DeviceChoice.choose(wanted.device(), engine.getGpuCount());
            LibTorch library = LibTorch.of(wanted);
            if (choice.refused()) {
                String reason = choice.reason() + "; " + library.describe() + ": " + gpuHint(library);
                publish(new EngineInfo(engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(), "",
                        List.of(), wanted.interOpThreads(), wanted.intraOpThreads(), EngineState.FAILED, reason,
                        library.describe(), cuda(library, engine.getGpuCount())));
                LOG.error("The engine is not started: {}", reason);
                return;
            }
            int interOp = JniUtils.getNumInteropThreads();
            String reason = choice.reason();
            if (interOp != wanted.interOpThreads()) {
                reason += "; interOpThreads=" + wanted.interOpThreads() + " applies after a restart";
            }
            List<String> devices = Arrays.stream(engine.getDevices()).map(d -> d.isGpu() ? "gpu(" + d.getDeviceId()
                    + ")" : "cpu").toList();
            publish(new EngineInfo(engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
                    choice.device(), devices, interOp, JniUtils.getNumThreads(), EngineState.READY, reason,
                    library.describe(), cuda(library, engine.getGpuCount())));
            LOG.info("{} {} ready on {} ({}); {}; inter-op threads {}, intra-op threads {}", info.name(),
                    info.version(), info.device(), reason, library.describe(), info.interOpThreads(),
                    info.intraOpThreads());
        } catch (RuntimeException | LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (root == e ? "" : " <- " + root.getMessage());
            if (reason.contains("already loaded in another classloader")) {
                reason += " (the PyTorch JNI library loads once per JVM and edgeai-djl-lib was refreshed or"
                        + " reinstalled: restart the gateway)";
            }
            LibTorch library = LibTorch.of(wanted);
            publish(new EngineInfo(EngineLoader.ENGINE_NAME, "", "", "", List.of(), wanted.interOpThreads(),
                    wanted.intraOpThreads(), EngineState.FAILED, reason + "; " + library.describe(),
                    library.describe(), ""));
            LOG.error("PyTorch engine could not be loaded: {}", reason);
        }
    }

    /** What to do when a GPU was asked for and none is seen, from what the library folder holds. */
    static String gpuHint(LibTorch library) {
        if (!library.cuda()) {
            return "it computes on the CPU only: install libtorch 2.7.1 built for CUDA (e.g. 2.7.1+cu128) and set"
                    + " libraryPath in etc/io.edgeai.djl.cfg to its lib folder, or set device = auto or cpu"
                    + " (docs/gpu.md; bin/edgeai-gpu-check checks a machine)";
        }
        if (library.flavor().isEmpty()) {
            return "a CUDA build whose CUDA version is not known: set flavor (e.g. cu128) in etc/io.edgeai.djl.cfg"
                    + " (docs/gpu.md)";
        }
        return "a CUDA build, but no GPU is visible to it: check the NVIDIA driver (nvidia-smi) and that the"
                + " gateway's user may use the GPU (bin/edgeai-gpu-check), or set device = auto or cpu";
    }

    /** The CUDA build and the GPUs it sees, or empty for a CPU build. */
    private static String cuda(LibTorch library, int gpus) {
        return library.cuda() ? (library.flavor().isEmpty() ? "CUDA" : library.flavor()) + ", " + gpus
                + " GPU(s) visible" : "";
    }

    /** Takes the next state: the info, and the future callers of {@link #start()} wait on. */
    private void settle(EngineInfo next) {
        synchronized (state) {
            info = next;
            if (ready.isDone()) {
                ready = new CompletableFuture<>();
            }
            if (next.state() == EngineState.READY) {
                ready.complete(next);
            } else if (next.state() == EngineState.FAILED) {
                ready.completeExceptionally(new IllegalStateException("the engine is not running: " + next.reason()));
            }
        }
    }

    private void publish(EngineInfo next) {
        settle(next);
        if (next.state() == EngineState.READY || next.state() == EngineState.FAILED) {
            // the device may have changed; a failed engine reads 0 (also one that never was ready: an alert sees it)
            meters.remove("engine", next.name());
            meters.gauge("edgeai.engine.ready", "1 while the deep-learning engine is loaded and computes on the device"
                    + " named; 0 when it failed", this, r -> r.info().state() == EngineState.READY ? 1.0 : 0.0,
                    "engine", next.name(), "version", next.version(), "djl", next.djlVersion(), "device",
                    next.device());
        }
        if (next.state() == EngineState.READY) {
            meters.gauge("edgeai.engine.threads", "Engine threads between operators", this,
                    r -> r.info().interOpThreads(), "kind", "inter-op");
            meters.gauge("edgeai.engine.threads", "Engine threads inside one operator", this,
                    r -> r.info().intraOpThreads(), "kind", "intra-op");
        }
        advertise();
    }

    /** Sets the service properties from the state as it is now; serialized, so the last call shows the newest state. */
    private void advertise() {
        synchronized (registration) {
            if (!closed) {
                try {
                    registration.setProperties(properties());
                } catch (IllegalStateException unregistered) {
                    LOG.debug("Engine runtime unregistered while loading");
                }
            }
        }
    }

    private Dictionary<String, Object> properties() {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EngineRuntime.STATE_PROPERTY, info.state().name());
        props.put(EngineRuntime.NAME_PROPERTY, info.name());
        return props;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    @Override
    public EngineInfo info() {
        return info;
    }

    @Override
    public Health health() {
        EngineInfo now = info;
        return switch (now.state()) {
            case READY -> new Health("engine", Status.UP, now.reason());
            case STANDBY -> new Health("engine", Status.UP, "standby, " + now.reason());
            case LOADING -> new Health("engine", Status.DOWN, "loading");
            case FAILED -> new Health("engine", Status.DOWN, now.reason());
        };
    }
}
