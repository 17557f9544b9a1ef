package io.edgeai.api.routes;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A route file in the deploy folder.
 *
 * @param file the file
 * @param state loaded or failed
 * @param routeIds the ids of the routes it runs now
 * @param error why it was refused; empty when loaded
 * @param updated when it was last (re)loaded or refused
 */
public record RouteFile(Path file, RouteFileState state, List<String> routeIds, String error, Instant updated) {

    public RouteFile {
        routeIds = List.copyOf(routeIds);
        error = error == null ? "" : error;
    }
}
