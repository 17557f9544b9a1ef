package io.edgeai.shell.internal;

import io.edgeai.api.routes.RouteFile;
import io.edgeai.api.routes.RouteFiles;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "edgeai", name = "route-list",
        description = "Lists the route files in deploy/, their routes and why a file was refused")
public class RouteListCommand implements Action {

    @Reference(optional = true)
    RouteFiles routeFiles;

    @Override
    public Object execute() {
        if (routeFiles == null) {
            System.out.println("No route file watcher: install feature edgeai-core");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("File");
        table.column("State");
        table.column("Routes");
        table.column("Updated");
        table.column("Error").maxSize(100).wrap();
        for (RouteFile file : routeFiles.files()) {
            table.addRow().addContent(file.file().getFileName(), file.state(), String.join(",", file.routeIds()),
                    file.updated(), file.error());
        }
        table.print(System.out);
        return null;
    }
}
