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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Recorder recorder;

    @Activate
    public CamelRuntime(BundleContext bundleContext, CamelRuntimeConfig config) {
        ClassLoader bundleLoader = CamelRuntime.class.getClassLoader();
        context = withContextClassLoader(bundleLoader, () -> {
            DefaultCamelContext ctx = new DefaultCamelContext();
            ctx.getCamelContextExtension().setName(config.contextName());
            ctx.setApplicationContextClassLoader(bundleLoader);
            ctx.getShutdownStrategy().setTimeout(config.shutdownTimeoutSeconds());
            ctx.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
            ctx.addComponent(EdgeAiComponent.SCHEME, new EdgeAiComponent(bundleContext));
            ctx.addRoutePolicyFactory(new RouteTiming(meters));
            ctx.start();
            return ctx;
        });
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

    @Deactivate
    void deactivate() {
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
