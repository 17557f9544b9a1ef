package io.edgeai.shell.internal;

import io.edgeai.api.anomaly.AnomalyWatch;
import io.edgeai.api.anomaly.WatchedStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "edgeai", name = "watch-list", description = "Device streams the anomaly watch learns and scores:"
        + " state, readings, anomalies, the version scoring them")
public class WatchListCommand implements Action {

    @Reference(optional = true)
    AnomalyWatch watch;

    @Override
    public Object execute() {
        if (watch == null) {
            System.out.println("No anomaly watch: feature edgeai-anomaly is not installed");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Device");
        table.column("State");
        table.column("Values").maxSize(30);
        table.column("Readings").alignRight();
        table.column("Alerts").alignRight();
        table.column("Model");
        table.column("Version").alignRight();
        table.column("Trainings").alignRight();
        table.column("Detail").maxSize(60);
        for (WatchedStream stream : watch.streams()) {
            table.addRow().addContent(stream.deviceId(), stream.state(), String.join(",", stream.features()),
                    stream.readings(), stream.alerts(), stream.model(), stream.version() > 0 ? stream.version()
                    : "", stream.trainings(), stream.detail());
        }
        table.print(System.out);
        return null;
    }
}
