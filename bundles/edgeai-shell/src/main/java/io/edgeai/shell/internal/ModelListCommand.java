package io.edgeai.shell.internal;

import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.ServingStats;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "edgeai", name = "model-list",
        description = "Lists models and their versions: state, shapes, metrics, and what the serving version did")
public class ModelListCommand implements Action {

    @Reference(optional = true)
    ModelRegistry registry;

    @Reference(optional = true)
    InferenceService inference;

    @Argument(index = 0, name = "model", description = "Only this model", required = false)
    @Completion(ModelNameCompleter.class)
    String only;

    @Override
    public Object execute() {
        if (registry == null) {
            System.out.println("No model registry: feature edgeai-inference is not installed");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Model");
        table.column("Version").alignRight();
        table.column("State");
        table.column("Shape");
        table.column("Created");
        table.column("Metrics").maxSize(40).wrap();
        table.column("Serving").maxSize(80).wrap();
        for (String model : registry.models()) {
            if (only != null && !only.equals(model)) {
                continue;
            }
            Optional<ServingStats> stats = inference == null ? Optional.empty() : inference.serving(model);
            Optional<io.edgeai.api.model.Rollout> rollout = registry.rollout(model);
            for (ModelVersion v : registry.versions(model)) {
                String serving = stats.filter(s -> s.version() == v.version())
                        .map(s -> String.format("%s, %d requests, mean batch %.1f (max %d), %d queued, %d refused,"
                                + " %d failed", s.device(), s.requests(), s.batches() == 0 ? 0.0
                                : (double) s.rows() / s.batches(), s.largestBatch(), s.queued(), s.refused(),
                                s.failures()))
                        .orElse("");
                Object state = v.state();
                var trial = rollout.filter(r -> r.version() == v.version());
                if (trial.isPresent()) {
                    var r = trial.get();
                    state = v.state() + (r.state().running() ? " (" + r.state() + ")" : "");
                    serving = r.state().running() ? r.figures() == null ? r.state() + ": no requests yet"
                            : ModelRolloutCommand.summary(r.figures())
                            : "rollout " + r.state() + (r.reason().isEmpty() ? "" : ": " + r.reason());
                }
                table.addRow().addContent(model, v.version(), state, v.spec().inputSize() + " -> "
                        + v.spec().outputSize(), v.created().toString().substring(0, 19), v.metrics(), serving);
            }
        }
        table.print(System.out);
        return null;
    }
}
