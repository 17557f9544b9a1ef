package io.edgeai.shell.internal;

import io.edgeai.api.training.TrainingService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "job-cancel", description = "Cancels a queued or running training job (a running"
        + " one stops between two batches; nothing is registered)")
public class JobCancelCommand implements Action {

    @Reference(optional = true)
    TrainingService training;

    @Argument(index = 0, name = "job", required = true)
    String id;

    @Override
    public Object execute() throws Exception {
        if (training == null) {
            System.out.println("No training service: feature edgeai-training is not installed");
            return null;
        }
        if (training.cancel(id)) {
            System.out.println("Training job " + id + " cancelled");
        } else {
            throw new CommandException("Not cancelled: " + training.job(id).map(j -> "job " + id + " has already finished ("
                    + j.state() + ")").orElse("no training job " + id));
        }
        return null;
    }
}
