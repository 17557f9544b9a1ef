package io.edgeai.camel.internal;

import io.edgeai.api.routes.RouteFile;
import io.edgeai.api.routes.RouteFiles;
import java.io.File;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Karaf's File Install hook for route files in {@code deploy/}: a new file's routes start, a changed file's routes are
 * replaced, a deleted file's routes are removed. What became of each file is published as {@link RouteFiles}.
 *
 * <p>File Install hands each file to one installer and remembers which. When this bundle (and so the CamelContext)
 * restarts, it forgets the files it had, or keeps them bound to the installer that is gone when the restart falls
 * inside its handling of a file; it then tells no one of their deletion or of their next change. So the files present
 * are loaded here at once, and a sweep every {@value #SWEEP_SECONDS} seconds removes the routes of deleted files and
 * applies changes File Install did not pass on. The files themselves are never written to.
 */
@Component(service = {ArtifactInstaller.class, RouteFiles.class})
public class RouteFileInstaller implements ArtifactInstaller, RouteFiles {

    static final int SWEEP_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(RouteFileInstaller.class);

    private final RouteFileLoader loader;
    private final ComponentBundles components;
    private final ComponentBundles.Listener onComponents;
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;

    @Activate
    public RouteFileInstaller(@Reference(target = "(" + CamelRuntime.NAME_PROPERTY + "=*)") CamelContext context,
            @Reference ComponentBundles components) {
        this.loader = new RouteFileLoader(context);
        this.components = components;
        this.onComponents = new ComponentBundles.Listener() {
            @Override
            public void added(String bundle, java.util.Set<String> schemes) {
                if (!closed) {
                    loader.retryFailed();
                }
            }

            @Override
            public void removing(String bundle, java.util.Set<String> schemes, ClassLoader loaderOfBundle) {
                if (!closed) {
                    loader.suspendUsing(schemes, "component " + String.join(", ", schemes) + " is gone: " + bundle
                            + " was uninstalled or stopped; these routes run again when it is back"
                            + (bundle.startsWith("feature ") ? " (feature:install " + bundle.substring(8) + ")" : ""));
                }
            }
        };
        components.addListener(onComponents);
        loadPresentFiles();
        sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "edgeai-route-files");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void close() {
        closed = true;
        components.removeListener(onComponents);
        sweeper.shutdownNow();
    }

    private void loadPresentFiles() {
        String base = System.getProperty("karaf.base");
        if (base == null) {
            return;
        }
        File[] present = new File(base, "deploy").listFiles(file -> file.isFile() && canHandle(file));
        if (present != null) {
            for (File file : present) {
                install(file);
            }
        }
    }

    private void sweep() {
        try {
            if (!closed) {
                loader.sweep();
            }
        } catch (RuntimeException e) {
            LOG.warn("Route files could not be checked against deploy/: {}", RouteFileLoader.describe(e));
        }
    }

    @Override
    public boolean canHandle(File artifact) {
        return RouteFileTypes.isRouteFile(artifact.toPath());
    }

    /* File Install may still call an installer that was deactivated: its context is gone, so nothing is done. */

    @Override
    public void install(File artifact) {
        if (!closed) {
            loader.apply(artifact.toPath().toAbsolutePath());
        }
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        if (!closed) {
            loader.remove(artifact.toPath().toAbsolutePath());
        }
    }

    @Override
    public List<RouteFile> files() {
        return loader.files();
    }
}
