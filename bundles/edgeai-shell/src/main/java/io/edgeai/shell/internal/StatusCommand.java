package io.edgeai.shell.internal;

import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
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
        for (Health health : all) {
            table.addRow().addContent(health.component(), health.status(), health.reason());
        }
        table.print(System.out);
        return null;
    }
}
