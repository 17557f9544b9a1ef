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
