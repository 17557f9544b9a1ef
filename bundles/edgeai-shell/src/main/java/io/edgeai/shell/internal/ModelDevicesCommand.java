package io.edgeai.shell.internal;

import io.edgeai.api.model.DeviceFleet;
import io.edgeai.api.model.ModelRegistry;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "edgeai", name = "model-devices",
        description = "Which devices run which version of a model, as they report it in their telemetry"
                + " (\"models\": {\"<model>\": <version>}); the fleet view during a rollout")
public class ModelDevicesCommand implements Action {

    @Reference(optional = true)
    DeviceFleet fleet;

    @Reference(optional = true)
    ModelRegistry registry;

    @Argument(index = 0, name = "model", required = true)
    @Completion(ModelNameCompleter.class)
    String model;

    @Override
    public Object execute() throws Exception {
        if (fleet == null) {
            throw new CommandException("No fleet view: feature edgeai-inference is not installed");
        }
        List<DeviceFleet.Report> devices = fleet.devices(model);
        if (devices.isEmpty() && (registry == null || registry.versions(model).isEmpty())) {
            throw new CommandException("No model " + model + " (edgeai:model-list lists them)");
        }
        String active = registry == null ? "?" : registry.active(model).map(v -> "version " + v.version())
                .orElse("none");
        System.out.println("Model " + model + ": active on the gateway " + active + "; devices by version "
                + fleet.versions(model) + " (" + devices.size() + " devices)");
        ShellTable table = new ShellTable();
        table.column("Device");
        table.column("Version").alignRight();
        table.column("Reported");
        for (DeviceFleet.Report report : devices) {
            table.addRow().addContent(report.deviceId(), report.version(), report.reported().toString());
        }
        table.print(System.out);
        return null;
    }
}
