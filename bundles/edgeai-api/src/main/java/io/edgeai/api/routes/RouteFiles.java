package io.edgeai.api.routes;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The route files the gateway watches (Camel XML or YAML DSL dropped into {@code deploy/}) and their state. */
@ProviderType
public interface RouteFiles {

    /** Every route file currently present, sorted by path. */
    List<RouteFile> files();
}
