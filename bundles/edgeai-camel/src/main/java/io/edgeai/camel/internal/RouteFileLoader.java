package io.edgeai.camel.internal;

import io.edgeai.api.routes.RouteFile;
import io.edgeai.api.routes.RouteFileState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads, replaces and removes the routes of route files on one CamelContext, one file at a time.
 *
 * <p>A file owns exactly the routes its loading added. Replacing a file removes its routes and loads the new text; if
 * the new text fails, whatever it added is removed and the last good text is loaded again, so a broken edit changes
 * nothing but the file's reported state. Routes of other files and bundles are never touched: a clash of route ids
 * fails the file that came second.
 */
final class RouteFileLoader {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileLoader.class);

    private final CamelContext context;
    private final Map<Path, Entry> entries = new HashMap<>();
    /** What {@link #sweep} saw of each known file last time: a change is applied once it holds still. */
    private final Map<Path, Long> seen = new HashMap<>();

    /** What a file last was: the text that runs (null when none ever loaded), its state, and its stamp then. */
    private record Entry(String goodText, RouteFile status, long stamp) {
    }

    RouteFileLoader(CamelContext context) {
        this.context = context;
    }

    /** Loads a new file or replaces the routes of a changed one. */
    synchronized RouteFile apply(Path file) {
        Entry previous = entries.get(file);
        List<String> runningIds = previous == null ? List.of() : previous.status().routeIds();
        long stamp = stamp(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return record(file, previous == null ? null : previous.goodText(), runningIds, "cannot read: " + e, stamp);
        }
        if (previous != null && previous.status().state() == RouteFileState.LOADED && text.equals(previous.goodText())) {
            entries.put(file, new Entry(previous.goodText(), previous.status(), stamp));
            return previous.status(); // touched, not changed: keep the routes running
        }
        removeRoutes(runningIds);
        try {
            List<String> ids = load(file, text);
            LOG.info("Route file {} loaded: routes {}", file.getFileName(), ids);
            return record(file, text, ids, null, stamp);
        } catch (Exception e) {
            String error = describe(e);
            LOG.error("Route file {} refused: {}", file.getFileName(), error);
            List<String> restored = List.of();
            if (previous != null && previous.goodText() != null) {
                try {
                    restored = load(file, previous.goodText());
                    LOG.info("Route file {}: previous routes {} kept running", file.getFileName(), restored);
                } catch (Exception again) {
                    LOG.error("Route file {}: previous routes could not be restored: {}", file.getFileName(),
                            describe(again));
                }
            }
            return record(file, previous == null ? null : previous.goodText(), restored, error, stamp);
        }
    }

    /**
     * Stops the routes of every loaded file that uses one of the schemes (their component's bundle stops): the file
     * is FAILED with the reason, its text kept, and loaded again by {@link #retryFailed} when components come.
     */
    synchronized void suspendUsing(Set<String> schemes, String reason) {
        for (Map.Entry<Path, Entry> entry : List.copyOf(entries.entrySet())) {
            RouteFile status = entry.getValue().status();
            if (status.state() != RouteFileState.LOADED) {
                continue;
            }
            boolean uses = false;
            for (String id : status.routeIds()) {
                Route route = context.getRoute(id);
                uses |= route != null && ComponentBundles.uses(route, schemes);
            }
            if (uses) {
                removeRoutes(status.routeIds());
                record(entry.getKey(), entry.getValue().goodText(), List.of(), reason, entry.getValue().stamp());
                LOG.warn("Route file {}: routes {} stopped: {}", entry.getKey().getFileName(), status.routeIds(),
                        reason);
            }
        }
    }

    /** Loads again every file that failed (components came that they may have been waiting for). */
    synchronized void retryFailed() {
        for (Map.Entry<Path, Entry> entry : List.copyOf(entries.entrySet())) {
            if (entry.getValue().status().state() == RouteFileState.FAILED && Files.exists(entry.getKey())) {
                RouteFile again = apply(entry.getKey());
                if (again.state() == RouteFileState.LOADED) {
                    LOG.info("Route file {} loaded again: routes {}", entry.getKey().getFileName(), again.routeIds());
                }
            }
        }
    }

    /** Removes the routes of a deleted file. */
    synchronized void remove(Path file) {
        Entry entry = entries.remove(file);
        if (entry != null) {
            removeRoutes(entry.status().routeIds());
            LOG.info("Route file {} deleted: routes {} removed", file.getFileName(), entry.status().routeIds());
        }
    }

    /**
     * Brings the known files in line with the disk, for what the file watcher may not tell: a deleted file's routes
     * are removed, and a changed file is applied once it is the same on two sweeps in a row (not half written). Files
     * never applied are left to the watcher, which waits for them to be complete.
     */
    synchronized void sweep() {
        for (Path file : List.copyOf(entries.keySet())) {
            if (!Files.exists(file)) {
                remove(file);
                continue;
            }
            long now = stamp(file);
            Long before = seen.put(file, now);
            if (now != entries.get(file).stamp() && before != null && before == now) {
                LOG.info("Route file {} changed without notice: applying it", file.getFileName());
                apply(file);
            }
        }
        seen.keySet().retainAll(entries.keySet());
    }

    /** The file's size and modification time in one number; 0 when it cannot be read. */
    private static long stamp(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() * 31 + Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    synchronized List<RouteFile> files() {
        return entries.values().stream()
                .map(Entry::status)
                .sorted(Comparator.comparing(RouteFile::file))
                .collect(Collectors.toList());
    }

    private RouteFile record(Path file, String goodText, List<String> ids, String error, long stamp) {
        RouteFile status = new RouteFile(file, error == null ? RouteFileState.LOADED : RouteFileState.FAILED, ids,
                error, Instant.now());
        entries.put(file, new Entry(goodText, status, stamp));
        return status;
    }

    /** Loads text as the given file's routes and returns the ids of the routes it added. */
    private List<String> load(Path file, String text) throws Exception {
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".xml")) {
            java.util.Optional<String> problem = RouteFileTypes.xmlProblem(text);
            if (problem.isPresent()) {
                throw new IllegalArgumentException(problem.get());
            }
        }
        Set<String> before = routeIds();
        Resource resource = ResourceHelper.fromString("file:" + file.toAbsolutePath(), text);
        try {
            Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource);
            refuseTakenIds(builders, before);
            for (RoutesBuilder builder : builders) {
                if (builder instanceof RouteConfigurationsBuilder configurations) {
                    context.addRoutesConfigurations(configurations);
                }
            }
            for (RoutesBuilder builder : builders) {
                context.addRoutes(builder);
            }
            for (RoutesBuilder builder : builders) {
                context.addTemplatedRoutes(builder);
            }
        } catch (Exception | LinkageError e) {
            removeRoutes(added(before));
            throw e instanceof Exception ex ? ex : new IllegalStateException(e);
        }
        return added(before);
    }

    /** Camel would silently replace a route with the same id: a file may not take another owner's route. */
    private void refuseTakenIds(Collection<RoutesBuilder> builders, Set<String> taken) throws Exception {
        for (RoutesBuilder builder : builders) {
            if (builder instanceof RouteBuilder routeBuilder) {
                for (RouteDefinition route : routeBuilder.configureRoutes(context).getRoutes()) {
                    String id = route.getRouteId();
                    if (id != null && taken.contains(id)) {
                        throw new IllegalArgumentException("route id '" + id + "' is already used by another route file"
                                + " or bundle");
                    }
                }
            }
        }
    }

    private List<String> added(Set<String> before) {
        List<String> ids = new ArrayList<>(routeIds());
        ids.removeAll(before);
        return ids;
    }

    private Set<String> routeIds() {
        return context.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private void removeRoutes(List<String> ids) {
        for (String id : ids) {
            try {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Route {} could not be removed: {}", id, describe(e));
            }
        }
    }

    /** The most specific message of a failure chain, for logs and the console. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        Throwable t = e;
        String last = null;
        while (t != null) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (last == null || !last.contains(message)) {
                if (text.length() > 0) {
                    text.append(" <- ");
                }
                text.append(message);
            }
            last = message;
            t = t.getCause() == t ? null : t.getCause();
        }
        return text.toString();
    }
}
