package io.edgeai.camel.internal;

import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.Meters;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.monitoring.Status;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
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
 * Creates the gateway's one CamelContext from the embedded Camel jars and publishes it as a
 * {@code org.apache.camel.CamelContext} service (property {@value #NAME_PROPERTY}). Connector bundles add and remove
 * their own routes on it; it lives as long as this bundle, not as long as any of them.
 */
@Component(service = HealthIndicator.class, immediate = true, configurationPid = "io.edgeai.camel")
@Designate(ocd = CamelRuntimeConfig.class)
public class CamelRuntime implements HealthIndicator {

    /** Service property carrying the context name. */
    public static final String NAME_PROPERTY = "camel.context.name";

    private static final Logger LOG = LoggerFactory.getLogger(CamelRuntime.class);

    private final Meters meters = new Meters(() -> this.recorder);
    private final DefaultCamelContext context;
    private final ServiceRegistration<CamelContext> registration;
    private final ComponentBundles components;
    private final ServiceRegistration<ComponentBundles> componentsRegistration;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Recorder recorder;

    @Activate
    public CamelRuntime(BundleContext bundleContext, CamelRuntimeConfig config) {
        ClassLoader bundleLoader = CamelRuntime.class.getClassLoader();
        DefaultCamelContext[] created = new DefaultCamelContext[1];
        components = new ComponentBundles(bundleContext, new ComponentBundles.Listener() {
            @Override
            public void added(String bundle, java.util.Set<String> schemes) {
                // resolved when a route first uses them; what was looked for in vain before is looked for again
                if (created[0] != null) {
                    forgetFactories(created[0]);
                }
            }

            @Override
            public void removing(String bundle, java.util.Set<String> schemes, ClassLoader loader) {
                if (created[0] != null) {
                    withContextClassLoader(bundleLoader, () -> {
                        letGo(created[0], bundle, schemes, loader);
                        return null;
                    });
                    forgetFactories(created[0]);
                }
            }
        });
        context = withContextClassLoader(bundleLoader, () -> {
            DefaultCamelContext ctx = new DefaultCamelContext();
            ctx.getCamelContextExtension().setName(config.contextName());
            ctx.setApplicationContextClassLoader(bundleLoader);
            ctx.setClassResolver(components);
            ctx.getShutdownStrategy().setTimeout(config.shutdownTimeoutSeconds());
            ctx.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
            ctx.addComponent(EdgeAiComponent.SCHEME, new EdgeAiComponent(bundleContext));
            ctx.addRoutePolicyFactory(new RouteTiming(meters));
            ctx.start();
            return ctx;
        });
        created[0] = context;
        components.open();
        componentsRegistration = bundleContext.registerService(ComponentBundles.class, components, null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(NAME_PROPERTY, config.contextName());
        registration = bundleContext.registerService(CamelContext.class, context, props);
        LOG.info("CamelContext '{}' started (Camel {})", config.contextName(), context.getVersion());
    }

    /** The shutdown timeout applies at once; a new context name only when the bundle restarts. */
    @Modified
    void modified(CamelRuntimeConfig config) {
        context.getShutdownStrategy().setTimeout(config.shutdownTimeoutSeconds());
        if (!config.contextName().equals(context.getName())) {
            LOG.warn("CamelContext name '{}' applies after a restart of bundle edgeai-camel; still '{}'",
                    config.contextName(), context.getName());
        }
    }

    /** Where Camel looks for the factories that component bundles bring. */
    private static final String[] FACTORY_PATHS = {ComponentBundles.FACTORIES, ComponentBundles.FACTORIES + "component/",
        ComponentBundles.FACTORIES + "dataformat/", ComponentBundles.FACTORIES + "language/",
        ComponentBundles.FACTORIES + "configurer/", ComponentBundles.FACTORIES + "urifactory/"};

    /**
     * Camel's factory finders remember the classes they found and the names they did not find: when a component
     * bundle comes or goes, they forget both (else a scheme once missing stays missing, or a class of a bundle that
     * is gone stays in use).
     */
    private static void forgetFactories(DefaultCamelContext ctx) {
        for (String path : FACTORY_PATHS) {
            ctx.getCamelContextExtension().getFactoryFinder(path).clear();
        }
    }

    /**
     * A component bundle stops: the routes still using its components (route files have stopped theirs already, saying
     * why) are stopped and removed, then its components and their endpoints leave the context.
     */
    private static void letGo(DefaultCamelContext ctx, String bundle, java.util.Set<String> schemes,
            ClassLoader loader) {
        java.util.Set<String> gone = new java.util.TreeSet<>(schemes);
        for (String name : ctx.getComponentNames()) {
            org.apache.camel.Component component = ctx.hasComponent(name);
            if (component != null && component.getClass().getClassLoader() == loader) {
                gone.add(name);
            }
        }
        for (org.apache.camel.Route route : java.util.List.copyOf(ctx.getRoutes())) {
            if (ComponentBundles.uses(route, gone)) {
                try {
                    ctx.getRouteController().stopRoute(route.getRouteId());
                    ctx.removeRoute(route.getRouteId());
                    LOG.warn("Route {} stopped and removed: it uses {}, whose bundle {} stops", route.getRouteId(),
                            gone, bundle);
                } catch (Exception e) {
                    LOG.error("Route {} uses {} of bundle {}, which stops, and could not be stopped: {}",
                            route.getRouteId(), gone, bundle, e.toString());
                }
            }
        }
        for (String name : gone) {
            try {
                ctx.removeEndpoints(name + ":*");
            } catch (Exception e) {
                LOG.warn("Endpoints of {} could not be removed: {}", name, e.toString());
            }
            if (ctx.hasComponent(name) != null) {
                ctx.removeComponent(name);
            }
        }
    }

    @Deactivate
    void deactivate() {
        componentsRegistration.unregister();
        components.close();
        registration.unregister();
        withContextClassLoader(CamelRuntime.class.getClassLoader(), () -> {
            context.stop();
            return null;
        });
        LOG.info("CamelContext '{}' stopped", context.getName());
    }

    @Override
    public Health health() {
        return context.isStarted()
                ? new Health("camel", Status.UP, context.getRoutesSize() + " routes")
                : new Health("camel", Status.DOWN, "CamelContext is " + context.getStatus());
    }

    private static <T> T withContextClassLoader(ClassLoader loader, java.util.function.Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
