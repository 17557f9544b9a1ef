package io.edgeai.api.routes;

import java.util.List;

/** The route files the gateway watches (Camel XML or YAML DSL dropped into {@code deploy/}) and their state. */
public interface RouteFiles {

    /** Every route file currently present, sorted by path. */
    List<RouteFile> files();
}
