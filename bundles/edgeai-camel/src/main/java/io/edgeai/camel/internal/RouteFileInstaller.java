package io.edgeai.camel.internal;

import io.edgeai.api.routes.RouteFile;
import io.edgeai.api.routes.RouteFiles;
import java.io.File;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.LoggerFactory;

/**
 * Karaf's File Install hook for route files in {@code deploy/}: a new file's routes start, a changed file's routes are
 * replaced, a deleted file's routes are removed. What became of each file is published as {@link RouteFiles}.
 */
@Component(service = {ArtifactInstaller.class, RouteFiles.class})
public class RouteFileInstaller implements ArtifactInstaller, RouteFiles {

    private final RouteFileLoader loader;

    @Activate
    public RouteFileInstaller(@Reference(target = "(" + CamelRuntime.NAME_PROPERTY + "=*)") CamelContext context) {
        this.loader = new RouteFileLoader(context);
        loadPresentFiles();
    }

    /**
     * File Install hands each file to an installer once: when this bundle (and so the CamelContext) restarts, it
     * forgets which installer owns the files already in deploy/, and would not tell the new one of their deletion.
     * So they are loaded here at once, and touched, so that File Install sees them change, binds them to this
     * installer and calls {@link #update}, which finds the text unchanged and keeps the routes as they are.
     */
    private void loadPresentFiles() {
        String base = System.getProperty("karaf.base");
        if (base == null) {
            return;
        }
        File[] present = new File(base, "deploy").listFiles(file -> file.isFile() && canHandle(file));
        if (present != null) {
            for (File file : present) {
                install(file);
                if (!file.setLastModified(System.currentTimeMillis())) {
                    LoggerFactory.getLogger(RouteFileInstaller.class).warn(
                            "Route file {} could not be touched: deleting it will not remove its routes until the"
                                    + " next change", file.getName());
                }
            }
        }
    }

    @Override
    public boolean canHandle(File artifact) {
        return RouteFileTypes.isRouteFile(artifact.toPath());
    }

    @Override
    public void install(File artifact) {
        loader.apply(artifact.toPath().toAbsolutePath());
    }

    @Override
    public void update(File artifact) {
        loader.apply(artifact.toPath().toAbsolutePath());
    }

    @Override
    public void uninstall(File artifact) {
        loader.remove(artifact.toPath().toAbsolutePath());
    }

    @Override
    public List<RouteFile> files() {
        return loader.files();
    }
}
