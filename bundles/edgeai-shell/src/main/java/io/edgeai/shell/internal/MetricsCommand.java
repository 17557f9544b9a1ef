package io.edgeai.shell.internal;

import io.edgeai.api.monitoring.Metrics;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "edgeai", name = "metrics", description = "The gateway's metrics as GET /metrics serves them"
        + " (Prometheus text), optionally only those whose name starts with a prefix")
public class MetricsCommand implements Action {

    @Reference(optional = true)
    Metrics metrics;

    @Argument(index = 0, name = "prefix", description = "e.g. edgeai_connector, edgeai_model, jvm_memory",
            required = false)
    String prefix;

    @Override
    public Object execute() {
        if (metrics == null) {
            System.out.println("No metrics: feature edgeai-monitoring is not installed");
            return null;
        }
        for (String line : metrics.scrape().split("\n")) {
            if (!line.startsWith("#") && (prefix == null || line.startsWith(prefix))) {
                System.out.println(line);
            }
        }
        return null;
    }
}
