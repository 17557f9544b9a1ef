package io.edgeai.shell.internal;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.monitoring.Health;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

@Service
@Command(scope = "edgeai", name = "connector-list",
        description = "Lists the protocol connectors: endpoint, UP/DOWN with the reason, and their counters")
public class ConnectorListCommand implements Action {

    @Reference
    BundleContext bundleContext;

    private static final java.util.Set<String> COMMON = java.util.Set.of("received", "accepted", "failed");

    @Override
    public Object execute() throws InvalidSyntaxException {
        ShellTable table = new ShellTable();
        table.column("Connector");
        table.column("Endpoint");
        table.column("Status");
        table.column("Received").alignRight();
        table.column("Accepted").alignRight();
        table.column("Rejected").alignRight();
        table.column("Failed").alignRight();
        table.column("Reason / rejections").maxSize(80).wrap();
        for (ServiceReference<Connector> ref : bundleContext.getServiceReferences(Connector.class, null)) {
            Connector connector = bundleContext.getService(ref);
            if (connector == null) {
                continue;
            }
            try {
                Map<String, Long> counts = connector.counters();
                Health health = connector.health();
                long rejected = counts.entrySet().stream().filter(e -> e.getKey().startsWith("rejected."))
                        .mapToLong(Map.Entry::getValue).sum();
                StringBuilder why = new StringBuilder(health.reason());
                // rejections by reason, then what a connector counts beyond the common four (queued, forwarded, ...)
                counts.forEach((name, count) -> {
                    if (name.startsWith("rejected.")) {
                        why.append(why.length() > 0 ? "; " : "").append(name.substring(9)).append('=').append(count);
                    }
                });
                counts.forEach((name, count) -> {
                    if (!name.startsWith("rejected.") && !COMMON.contains(name)) {
                        why.append(why.length() > 0 ? "; " : "").append(name).append('=').append(count);
                    }
                });
                table.addRow().addContent(connector.name(), connector.endpoint(), health.status(),
                        counts.getOrDefault("received", 0L), counts.getOrDefault("accepted", 0L), rejected,
                        counts.getOrDefault("failed", 0L), why);
            } finally {
                bundleContext.ungetService(ref);
            }
        }
        table.print(System.out);
        return null;
    }
}
