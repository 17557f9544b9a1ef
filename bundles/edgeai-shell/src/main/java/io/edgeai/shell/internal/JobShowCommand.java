package io.edgeai.shell.internal;

import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingService;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "job-show", description = "One training job: progress, loss per epoch, metrics,"
        + " outcome")
public class JobShowCommand implements Action {

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
        Optional<TrainingJob> found = training.job(id);
        if (found.isEmpty()) {
            throw new CommandException("No training job " + id + " (edgeai:job-list shows them)");
        }
        TrainingJob job = found.get();
        System.out.println("Job " + job.id() + " for model " + job.model() + ": " + job.state());
        System.out.println(progress(job));
        System.out.println("Submitted " + job.submitted() + (job.started() == null ? "" : ", started " + job.started())
                + (job.finished() == null ? "" : ", finished " + job.finished()));
        if (!job.metrics().isEmpty()) {
            System.out.println("Metrics: " + job.metrics());
        }
        if (!job.message().isEmpty()) {
            System.out.println(job.message());
        }
        List<Double> loss = job.trainLoss();
        int from = Math.max(0, loss.size() - 10);
        for (int i = from; i < loss.size(); i++) {
            System.out.printf(Locale.ROOT, "  epoch %d: loss %.6g%s%n", i + 1, loss.get(i),
                    i < job.validationLoss().size() ? String.format(Locale.ROOT, ", validation %.6g",
                            job.validationLoss().get(i)) : "");
        }
        return null;
    }

    /** [#####.....] 50/100 epochs, loss 0.0123 */
    static String progress(TrainingJob job) {
        int width = 30;
        int done = job.epochs() == 0 ? 0 : (int) Math.round(width * (double) job.epoch() / job.epochs());
        return "[" + "#".repeat(done) + ".".repeat(width - done) + "] " + job.epoch() + "/" + job.epochs()
                + " epochs" + (job.trainLoss().isEmpty() ? "" : ", loss " + JobListCommand.last(job.trainLoss()))
                + (job.validationLoss().isEmpty() ? "" : ", validation " + JobListCommand.last(job.validationLoss()));
    }
}
