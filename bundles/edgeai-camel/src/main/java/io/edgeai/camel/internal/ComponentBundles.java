package io.edgeai.camel.internal;

import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.impl.engine.DefaultClassResolver;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel components, data formats and languages from other bundles: a bundle that carries Camel's factory files
 * ({@code META-INF/services/org/apache/camel/component/<scheme>}, {@code dataformat/…}, {@code language/…}) on its own
 * class path, as a component jar embedded in a bundle does, is found while it is active, and the shared context
 * resolves its factories and classes through it (Camel asks its class resolver for both). A scheme comes with its
 * bundle's start and goes with its stop: the listeners hear of it first, so that the routes using it stop while the
 * bundle's classes are still there.
 */
public final class ComponentBundles extends DefaultClassResolver {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentBundles.class);
    static final String FACTORIES = "META-INF/services/org/apache/camel/";
    private static final String[] KINDS = {"component", "dataformat", "language"};
    /** The manifest header of a component bundle that names the feature it comes in. */
    static final String FEATURE_HEADER = "EdgeAi-Feature";

    /** What the context does when a bundle's schemes come or go. */
    public interface Listener {
        /** The bundle's components can be resolved now. */
        void added(String bundle, Set<String> schemes);

        /** The bundle stops: the components it provided ({@code loader}'s) must let go of it. */
        void removing(String bundle, Set<String> schemes, ClassLoader loader);
    }

    /**
     * One tracked bundle: what provides it ("feature edgeai-camel-file", or "bundle <symbolic name>"), its class
     * loader and the component schemes it provides.
     */
    record Provider(String bundle, ClassLoader loader, Set<String> schemes) {
    }

    private final BundleTracker<Provider> tracker;
    /**
     * The route files; {@link #context} (the context itself) is told before them of a bundle that comes (it forgets
     * what it did not find) and after them of one that goes (it lets go of the components).
     */
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Listener context;
    private final Map<Long, Provider> providers = new ConcurrentHashMap<>();

    ComponentBundles(BundleContext bundles, Listener context) {
        this.context = context;
        long self = bundles.getBundle().getBundleId();
        tracker = new BundleTracker<>(bundles, Bundle.ACTIVE, new BundleTrackerCustomizer<>() {
            @Override
            public Provider addingBundle(Bundle bundle, BundleEvent event) {
                return bundle.getBundleId() == self ? null : provider(bundle);
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, Provider provider) {
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Provider provider) {
                for (Listener listener : all()) {
                    try {
                        listener.removing(provider.bundle(), provider.schemes(), provider.loader());
                    } catch (RuntimeException e) {
                        LOG.warn("Camel components of {}: a listener failed: {}", provider.bundle(), e.toString());
                    }
                }
                providers.remove(bundle.getBundleId());
                LOG.info("Camel components {} of {} are gone", provider.schemes(), provider.bundle());
            }
        });
    }

    /** Starts tracking (after the context is set up, so that listeners can act on the bundles found). */
    void open() {
        tracker.open();
    }

    void close() {
        tracker.close();
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private List<Listener> all() {
        List<Listener> all = new ArrayList<>(listeners);
        all.add(context);
        return all;
    }

    /** Whether the route reads from or sends to an endpoint of one of the schemes. */
    static boolean uses(org.apache.camel.Route route, Set<String> schemes) {
        if (schemes.contains(scheme(route.getEndpoint()))) {
            return true;
        }
        return uses(route.navigate(), schemes);
    }

    private static boolean uses(org.apache.camel.Navigate<org.apache.camel.Processor> navigate, Set<String> schemes) {
        if (navigate == null || !navigate.hasNext()) {
            return false;
        }
        for (org.apache.camel.Processor processor : navigate.next()) {
            if (processor instanceof org.apache.camel.EndpointAware aware && schemes.contains(scheme(
                    aware.getEndpoint()))) {
                return true;
            }
            if (processor instanceof org.apache.camel.Navigate<?> child) {
                @SuppressWarnings("unchecked")
                org.apache.camel.Navigate<org.apache.camel.Processor> next =
                        (org.apache.camel.Navigate<org.apache.camel.Processor>) child;
                if (uses(next, schemes)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String scheme(org.apache.camel.Endpoint endpoint) {
        if (endpoint == null) {
            return "";
        }
        String uri = endpoint.getEndpointUri();
        int colon = uri.indexOf(':');
        return colon < 0 ? uri : uri.substring(0, colon);
    }

    /** The schemes the component bundles provide now, by bundle. */
    Collection<Provider> providers() {
        return List.copyOf(providers.values());
    }

    private Provider provider(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring == null || wiring.getClassLoader() == null) {
            return null;
        }
        Set<String> schemes = new TreeSet<>();
        boolean factories = false;
        for (String kind : KINDS) {
            Collection<String> found = wiring.listResources(FACTORIES + kind, "*", BundleWiring.LISTRESOURCES_LOCAL);
            factories |= !found.isEmpty();
            if (kind.equals("component")) {
                found.forEach(resource -> schemes.add(resource.substring(resource.lastIndexOf('/') + 1)));
            }
        }
        if (!factories) {
            return null;
        }
        // a component bundle of the gateway names its feature (EdgeAi-Feature): what an operator installs again
        String feature = bundle.getHeaders().get(FEATURE_HEADER);
        Provider provider = new Provider(feature != null ? "feature " + feature : "bundle " + bundle.getSymbolicName(),
                wiring.getClassLoader(), schemes);
        providers.put(bundle.getBundleId(), provider);
        LOG.info("Camel components {} from {}", schemes, provider.bundle());
        List<Listener> contextFirst = new ArrayList<>(List.of(context));
        contextFirst.addAll(listeners);
        for (Listener listener : contextFirst) {
            try {
                listener.added(provider.bundle(), schemes);
            } catch (RuntimeException e) {
                LOG.warn("Camel components of {}: a listener failed: {}", provider.bundle(), e.toString());
            }
        }
        return provider;
    }

    @Override
    public Class<?> resolveClass(String name) {
        Class<?> found = super.resolveClass(name);
        return found != null ? found : fromProviders(name);
    }

    @Override
    public <T> Class<T> resolveClass(String name, Class<T> type) {
        Class<T> found = super.resolveClass(name, type);
        if (found != null) {
            return found;
        }
        Class<?> other = fromProviders(name);
        @SuppressWarnings("unchecked")
        Class<T> typed = other != null && type.isAssignableFrom(other) ? (Class<T>) other : null;
        return typed;
    }

    @Override
    public Class<?> resolveMandatoryClass(String name) throws ClassNotFoundException {
        Class<?> found = resolveClass(name);
        if (found == null) {
            throw new ClassNotFoundException(name);
        }
        return found;
    }

    @Override
    public <T> Class<T> resolveMandatoryClass(String name, Class<T> type) throws ClassNotFoundException {
        Class<T> found = resolveClass(name, type);
        if (found == null) {
            throw new ClassNotFoundException(name);
        }
        return found;
    }

    private Class<?> fromProviders(String name) {
        for (ClassLoader loader : loaders()) {
            try {
                return loader.loadClass(name);
            } catch (ClassNotFoundException | LinkageError e) {
                // not this bundle's
            }
        }
        return null;
    }

    @Override
    public InputStream loadResourceAsStream(String uri) {
        return orFromProviders(super.loadResourceAsStream(uri), loader -> loader.getResourceAsStream(uri));
    }

    @Override
    public URL loadResourceAsURL(String uri) {
        return orFromProviders(super.loadResourceAsURL(uri), loader -> loader.getResource(uri));
    }

    /** {@code found}, else the first thing a component bundle's class loader finds. */
    private <T> T orFromProviders(T found, java.util.function.Function<ClassLoader, T> look) {
        for (ClassLoader loader : loaders()) {
            if (found != null) {
                break;
            }
            found = look.apply(loader);
        }
        return found;
    }

    private List<ClassLoader> loaders() {
        List<ClassLoader> loaders = new ArrayList<>();
        providers.values().forEach(provider -> loaders.add(provider.loader()));
        return loaders;
    }
}
