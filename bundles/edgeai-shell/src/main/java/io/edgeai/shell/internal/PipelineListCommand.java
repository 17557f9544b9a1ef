package io.edgeai.shell.internal;

import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.Pipelines;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "edgeai", name = "pipeline-list",
        description = "Lists the preprocessing pipelines: state, revision, file, counters, and why a change was refused")
public class PipelineListCommand implements Action {

    @Reference(optional = true)
    Pipelines pipelines;

    @Override
    public Object execute() {
        if (pipelines == null) {
            System.out.println("No pipelines: feature edgeai-preprocess is not installed");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Pipeline");
        table.column("State");
        table.column("Rev").alignRight();
        table.column("Readings").alignRight();
        table.column("Features").alignRight();
        table.column("Rejected").alignRight();
        table.column("File / error").maxSize(90).wrap();
        for (PipelineStatus p : pipelines.list()) {
            Map<String, Long> counts = p.counters();
            long rejected = counts.entrySet().stream().filter(e -> e.getKey().startsWith("rejected."))
                    .mapToLong(Map.Entry::getValue).sum();
            String state = p.state() + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")");
            String where = p.source() + (p.error() == null ? ""
                    : " -- REFUSED: " + p.error() + (p.revision() > 0 ? " (revision " + p.revision()
                            + " keeps serving)" : ""));
            table.addRow().addContent(p.name(), state, p.revision(), counts.getOrDefault("readings", 0L),
                    counts.getOrDefault("features", 0L), rejected, where);
        }
        table.print(System.out);
        return null;
    }
}
