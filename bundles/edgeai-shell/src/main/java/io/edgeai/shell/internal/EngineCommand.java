package io.edgeai.shell.internal;

import io.edgeai.api.engine.EngineInfo;
import io.edgeai.api.engine.EngineRuntime;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "edgeai", name = "engine", description = "Shows the deep-learning engine, its version and device")
public class EngineCommand implements Action {

    // optional: the shell bundle's commands register together, and edgeai-core runs without the engine
    @Reference(optional = true)
    EngineRuntime engine;

    @Override
    public Object execute() {
        if (engine == null) {
            System.out.println("No engine runtime: install feature edgeai-djl");
            return null;
        }
        EngineInfo info = engine.info();
        ShellTable table = new ShellTable();
        table.column("Property");
        table.column("Value");
        table.addRow().addContent("Engine", info.name());
        table.addRow().addContent("Version", info.version());
        table.addRow().addContent("DJL", info.djlVersion());
        table.addRow().addContent("State", info.state());
        table.addRow().addContent("Device", info.device());
        table.addRow().addContent("Devices", String.join(", ", info.devices()));
        table.addRow().addContent("Inter-op threads", info.interOpThreads());
        table.addRow().addContent("Intra-op threads", info.intraOpThreads());
        table.addRow().addContent("Reason", info.reason());
        table.print(System.out);
        return null;
    }
}
