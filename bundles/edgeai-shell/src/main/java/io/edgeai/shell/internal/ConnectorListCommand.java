package io.edgeai.shell.internal;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.connector.ConnectorStats;
import io.edgeai.api.monitoring.Health;
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
                ConnectorStats stats = connector.stats();
                Health health = connector.health();
                StringBuilder why = new StringBuilder(health.reason());
                // rejections by reason, then what a connector counts beyond readings (queued, forwarded, ...)
                stats.rejected().forEach((reason, count) -> why.append(why.length() > 0 ? "; " : "")
                        .append(reason.metricTag()).append('=').append(count));
                stats.deferred().forEach((reason, count) -> why.append(why.length() > 0 ? "; " : "")
                        .append("deferred ").append(reason.metricTag()).append('=').append(count));
                for (ConnectorStats.Count count : stats.more()) {
                    why.append(why.length() > 0 ? "; " : "").append(count.outcome())
                            .append(count.reason() == null ? "" : " " + count.reason()).append('=')
                            .append(count.value());
                }
                stats.levels().forEach((level, value) -> why.append(why.length() > 0 ? "; " : "").append(level)
                        .append('=').append(value));
                table.addRow().addContent(connector.name(), connector.endpoint(), health.status(),
                        stats.received(), stats.accepted(), stats.rejectedTotal(), stats.failed(), why);
            } finally {
                bundleContext.ungetService(ref);
            }
        }
        table.print(System.out);
        return null;
    }
}
