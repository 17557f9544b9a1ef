package io.edgeai.shell.internal;

import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "edgeai", name = "job-list", description = "Training jobs, newest first: state, progress, loss,"
        + " the version each registered")
public class JobListCommand implements Action {

    @Reference(optional = true)
    TrainingService training;

    @Override
    public Object execute() {
        if (training == null) {
            System.out.println("No training service: feature edgeai-training is not installed");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Job");
        table.column("Model");
        table.column("State");
        table.column("Epoch").alignRight();
        table.column("Loss").alignRight();
        table.column("Val. loss").alignRight();
        table.column("Version").alignRight();
        table.column("Message").maxSize(60);
        for (TrainingJob job : training.jobs()) {
            table.addRow().addContent(job.id(), job.model(), job.state(), job.epoch() + "/" + job.epochs(),
                    last(job.trainLoss()), last(job.validationLoss()), job.version() > 0 ? job.version()
                            + (job.promoted() ? " (active)" : "") : "", job.message());
        }
        table.print(System.out);
        return null;
    }

    static String last(java.util.List<Double> values) {
        return values.isEmpty() ? "" : String.format(java.util.Locale.ROOT, "%.6g", values.get(values.size() - 1));
    }
}
