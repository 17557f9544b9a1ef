package io.edgeai.shell.internal;

import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

@Service
@Command(scope = "edgeai", name = "status", description = "Shows each gateway component UP, DEGRADED or DOWN, with why")
public class StatusCommand implements Action {

    @Reference
    BundleContext bundleContext;

    @Reference(optional = true)
    org.apache.karaf.features.FeaturesService features;

    @Override
    public Object execute() throws InvalidSyntaxException {
        List<Health> all = new ArrayList<>();
        // connectors report their health too, registered as connectors; a service under both names comes once
        ServiceReference<?>[] refs = bundleContext.getServiceReferences((String) null, "(|(objectClass="
                + HealthIndicator.class.getName() + ")(objectClass=io.edgeai.api.connector.Connector))");
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            Object service = bundleContext.getService(ref);
            if (service instanceof HealthIndicator indicator) {
                try {
                    all.add(indicator.health());
                } catch (RuntimeException e) { // as GET /api/v1/health: the component is down, with why
                    all.add(new Health(indicator.getClass().getSimpleName(), Status.DOWN, "its health check failed: "
                            + e));
                } finally {
                    bundleContext.ungetService(ref);
                }
            } else if (service != null) {
                bundleContext.ungetService(ref);
            }
        }
        all.sort(Comparator.comparing(Health::component));
        ShellTable table = new ShellTable();
        table.column("Component");
        table.column("Status");
        table.column("Reason").maxSize(100).wrap();
        String[] gateway = gateway(all);
        table.addRow().addContent("gateway", gateway[0], gateway[1]);
        for (Health health : all) {
            table.addRow().addContent(health.component(), health.status(), health.reason());
        }
        table.print(System.out);
        return null;
    }

    /**
     * The gateway as a whole: STARTING while the framework has not reached its start level or a feature it was asked
     * for (at boot, or by feature:install) is not started yet, naming them (the components below then come up one by
     * one); then as {@code GET /api/v1/health} judges it: DOWN when a component is down, DEGRADED when one is
     * degraded, naming them, else UP.
     */
    private String[] gateway(List<Health> all) {
        org.osgi.framework.startlevel.FrameworkStartLevel framework = bundleContext.getBundle(0).adapt(
                org.osgi.framework.startlevel.FrameworkStartLevel.class);
        // Karaf keeps the start level it goes to in the system property; the framework's own says the lock's level
        String beginning = System.getProperty("org.osgi.framework.startlevel.beginning",
                bundleContext.getProperty("org.osgi.framework.startlevel.beginning"));
        if (framework != null && beginning != null && beginning.trim().matches("\\d{1,9}")
                && framework.getStartLevel() < Integer.parseInt(beginning.trim())) {
            // a later boot: the features are installed already, the framework still starts their bundles
            return new String[] {"STARTING", "the framework starts the bundles (start level " + framework
                    .getStartLevel() + " of " + beginning.trim() + "); the components below come up one by one"};
        }
        String[] features = features();
        if (!features[0].equals("UP")) {
            return features;
        }
        Status overall = Health.overall(all);
        if (overall == Status.UP) {
            return features;
        }
        List<String> named = all.stream().filter(h -> h.status() == overall).map(Health::component).toList();
        return new String[] {overall.name(), String.join(", ", named) + " " + overall.name().toLowerCase(
                java.util.Locale.ROOT) + " (see below); " + features[1]};
    }

    /** UP with the number of edgeai features started, or STARTING naming those that are not started yet. */
    private String[] features() {
        if (features == null) {
            return new String[] {"UP", "features service not available"};
        }
        try {
            java.util.List<String> starting = new java.util.ArrayList<>();
            int started = 0;
            for (org.apache.karaf.features.Feature feature : features.listRequiredFeatures()) {
                if (!feature.getName().startsWith("edgeai-")) {
                    continue;
                }
                if (features.getState(feature.getId()) == org.apache.karaf.features.FeatureState.Started) {
                    started++;
                } else {
                    starting.add(feature.getName());
                }
            }
            return starting.isEmpty() ? new String[] {"UP", started + " edgeai feature(s) started"}
                    : new String[] {"STARTING", "still starting: " + String.join(", ", starting) + " (a fresh"
                            + " distribution's first boot takes about a minute, later ones seconds); the components"
                            + " below come up one by one"};
        } catch (Exception e) {
            return new String[] {"UP", "features unknown: " + e.getMessage()};
        }
    }
}
