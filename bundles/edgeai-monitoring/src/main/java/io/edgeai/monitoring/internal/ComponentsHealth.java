package io.edgeai.monitoring.internal;

import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.dto.DTOConstants;
import org.osgi.service.http.runtime.dto.FailedServletDTO;
import org.osgi.service.http.runtime.dto.RuntimeDTO;
import org.osgi.service.http.runtime.dto.ServletContextDTO;

/**
 * The gateway's own pieces as the OSGi framework sees them (health component {@code components}): every gateway bundle
 * started, every enabled component of them running (not waiting for a service, not failed), every servlet they publish
 * taken up by the web runtime. DOWN, naming what is missing ("starting: ..." while the framework still starts bundles),
 * until then.
 *
 * <p>Each component reports its own health once it runs; one that does not run yet (at boot, or waiting for a service
 * that went away) reports nothing, and the web runtime registers servlets a moment after their services. Without this
 * check {@code GET /api/v1/health} answered 200 at boot while {@code /api/v1/models} still answered 503: a script that
 * waits for health before uploading a model failed.
 */
@Component(service = HealthIndicator.class, property = ComponentsHealth.PROPERTY + "=true")
public class ComponentsHealth implements HealthIndicator {

    /** Service property by which the health servlet waits for this check. */
    static final String PROPERTY = "edgeai.health.components";
    static final String NAME = "components";
    private static final String OURS = "io.edgeai.";
    private static final String PATTERN = "osgi.http.whiteboard.servlet.pattern";

    private final BundleContext context;

    @Reference
    private ServiceComponentRuntime components;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HttpServiceRuntime web;

    @Activate
    public ComponentsHealth(BundleContext context) {
        this.context = context;
    }

    @Override
    public Health health() {
        List<String> missing = new ArrayList<>();
        List<Bundle> ours = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            org.osgi.framework.wiring.BundleRevision revision = bundle.adapt(
                    org.osgi.framework.wiring.BundleRevision.class);
            if (ours(bundle) && revision != null
                    && (revision.getTypes() & org.osgi.framework.wiring.BundleRevision.TYPE_FRAGMENT) == 0) {
                ours.add(bundle);
                if (bundle.getState() != Bundle.ACTIVE) {
                    missing.add("bundle " + bundle.getSymbolicName() + " " + state(bundle.getState()));
                }
            }
        }
        int running = 0;
        // only the gateway's bundles' descriptions: the runtime builds a DTO for each one asked for
        for (ComponentDescriptionDTO description : components.getComponentDescriptionDTOs(ours.toArray(
                new Bundle[0]))) {
            if (!components.isComponentEnabled(description)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : components.getComponentConfigurationDTOs(description)) {
                String name = simpleName(description.name);
                switch (configuration.state) {
                    case ComponentConfigurationDTO.ACTIVE -> running++;
                    // a delayed service waits for its first user; an immediate component here is still activating
                    case ComponentConfigurationDTO.SATISFIED -> {
                        if (description.immediate) {
                            missing.add(name + " is activating");
                        } else {
                            running++;
                        }
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> missing.add(name + " waits for "
                            + waitsFor(configuration.unsatisfiedReferences, description));
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> missing.add(name + " failed to start: "
                            + firstLine(configuration.failure));
                    default -> { } // waits for a configuration of its own: not asked for, by design
                }
            }
        }
        int servlets = servlets(missing);
        if (!missing.isEmpty()) {
            return new Health(NAME, Status.DOWN, (starting() ? "starting: " : "not running: ")
                    + String.join("; ", missing));
        }
        return new Health(NAME, Status.UP, ours.size() + " bundles started, " + running + " components running"
                + (servlets < 0 ? "" : ", " + servlets + " servlets served"));
    }

    /** Adds the gateway's servlets the web runtime has not taken up (or refused); how many it serves, -1 if unknown. */
    private int servlets(List<String> missing) {
        HttpServiceRuntime runtime = web;
        if (runtime == null) {
            return -1;
        }
        ServiceReference<?>[] published;
        try {
            published = context.getAllServiceReferences("javax.servlet.Servlet", "(" + PATTERN + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        RuntimeDTO dto = runtime.getRuntimeDTO();
        Map<Long, Integer> failed = new HashMap<>();
        for (FailedServletDTO servlet : dto.failedServletDTOs == null ? new FailedServletDTO[0]
                : dto.failedServletDTOs) {
            failed.put(servlet.serviceId, servlet.failureReason);
        }
        java.util.Set<Long> served = Stream.of(dto.servletContextDTOs == null ? new ServletContextDTO[0]
                : dto.servletContextDTOs).flatMap(c -> Stream.concat(Stream.of(c.servletDTOs == null
                        ? new org.osgi.service.http.runtime.dto.ServletDTO[0] : c.servletDTOs).map(s -> s.serviceId),
                Stream.of(c.errorPageDTOs == null ? new org.osgi.service.http.runtime.dto.ErrorPageDTO[0]
                        : c.errorPageDTOs).map(s -> s.serviceId))).collect(Collectors.toSet());
        int count = 0;
        for (ServiceReference<?> servlet : published == null ? new ServiceReference<?>[0] : published) {
            if (servlet.getBundle() == null || !ours(servlet.getBundle())) {
                continue;
            }
            long id = (Long) servlet.getProperty(Constants.SERVICE_ID);
            Object name = servlet.getProperty("osgi.http.whiteboard.servlet.name");
            String label = "servlet " + (name != null ? name : Arrays.toString(toArray(servlet.getProperty(PATTERN))));
            if (failed.containsKey(id)) {
                missing.add(label + " refused by the web runtime: " + failure(failed.get(id)));
            } else if (!served.contains(id)) {
                missing.add(label + " not yet served");
            } else {
                count++;
            }
        }
        return count;
    }

    /** Whether the framework is still starting bundles (below its beginning start level: a boot). */
    private boolean starting() {
        org.osgi.framework.startlevel.FrameworkStartLevel framework = context.getBundle(0).adapt(
                org.osgi.framework.startlevel.FrameworkStartLevel.class);
        // Karaf keeps the start level it goes to in the system property; the framework's own says the lock's level
        String beginning = System.getProperty("org.osgi.framework.startlevel.beginning",
                context.getProperty("org.osgi.framework.startlevel.beginning"));
        return framework != null && beginning != null && beginning.trim().matches("\\d{1,9}")
                && framework.getStartLevel() < Integer.parseInt(beginning.trim());
    }

    private static boolean ours(Bundle bundle) {
        String name = bundle.getSymbolicName();
        return name != null && name.startsWith(OURS);
    }

    private static String waitsFor(UnsatisfiedReferenceDTO[] references, ComponentDescriptionDTO description) {
        List<String> services = new ArrayList<>();
        for (UnsatisfiedReferenceDTO reference : references == null ? new UnsatisfiedReferenceDTO[0] : references) {
            String service = Stream.of(description.references).filter(r -> r.name.equals(reference.name))
                    .map(r -> simpleName(r.interfaceName)).findFirst().orElse(reference.name);
            services.add(reference.target == null ? service : service + " " + reference.target);
        }
        return String.join(", ", services);
    }

    private static Object[] toArray(Object value) {
        return value instanceof Object[] array ? array : new Object[] {value};
    }

    static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "no reason given";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "installed (not resolved)";
            case Bundle.RESOLVED -> "resolved, not started";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            case Bundle.UNINSTALLED -> "uninstalled";
            default -> "in state " + state;
        };
    }

    static String failure(int reason) {
        return switch (reason) {
            case DTOConstants.FAILURE_REASON_NO_SERVLET_CONTEXT_MATCHING -> "no servlet context matches";
            case DTOConstants.FAILURE_REASON_SERVLET_CONTEXT_FAILURE -> "its servlet context failed";
            case DTOConstants.FAILURE_REASON_SHADOWED_BY_OTHER_SERVICE -> "its path is taken by another servlet";
            case DTOConstants.FAILURE_REASON_EXCEPTION_ON_INIT -> "it threw in init()";
            case DTOConstants.FAILURE_REASON_SERVICE_NOT_GETTABLE -> "its service could not be got";
            case DTOConstants.FAILURE_REASON_VALIDATION_FAILED -> "its registration properties are not valid";
            default -> "failure reason " + reason;
        };
    }
}
