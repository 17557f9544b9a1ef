package io.edgeai.shell.internal;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.Rollout;
import io.edgeai.api.model.TrialFigures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "model-rollout",
        description = "Rolls a version out in stages (shadow, canary, active) with automatic rollback on a breached"
                + " guard rail; without a version, shows the model's rollout; --stop stops it")
public class ModelRolloutCommand implements Action {

    @Reference(optional = true)
    ModelRegistry registry;

    @Argument(index = 0, name = "model", required = true)
    @Completion(ModelNameCompleter.class)
    String model;

    @Argument(index = 1, name = "version", description = "The version to roll out", required = false)
    Integer version;

    @Option(name = "--set", aliases = "-s", multiValued = true, description = "A policy setting for this rollout,"
            + " setting=value (canaryShare=0.2, shadowRequests=500, maxOutputDrift=0.3, ...; see"
            + " etc/io.edgeai.models.cfg)")
    List<String> settings;

    @Option(name = "--stop", description = "Stops the model's running rollout; its version stays staged")
    boolean stop;

    @Override
    public Object execute() throws Exception {
        if (registry == null) {
            throw new CommandException("No model registry: feature edgeai-inference is not installed");
        }
        try {
            if (stop) {
                if (version != null) {
                    throw new CommandException("--stop takes the model only");
                }
                print(registry.stopRollout(model, "stopped by an operator (console)"));
            } else if (version != null) {
                print(registry.startRollout(model, version, overrides()));
            } else {
                Optional<Rollout> rollout = registry.rollout(model);
                if (rollout.isEmpty()) {
                    throw new CommandException("Model " + model + " has had no rollout: edgeai:model-rollout "
                            + model + " <version> starts one");
                }
                print(rollout.get());
            }
        } catch (InvalidModelException e) {
            throw new CommandException("Rollout refused: " + e.getMessage());
        }
        return null;
    }

    private Map<String, Object> overrides() throws CommandException {
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (String setting : settings == null ? List.<String>of() : settings) {
            int equals = setting.indexOf('=');
            if (equals <= 0) {
                throw new CommandException("--set " + setting + ": write setting=value, e.g. canaryShare=0.2");
            }
            overrides.put(setting.substring(0, equals).trim(), setting.substring(equals + 1).trim());
        }
        return overrides;
    }

    private static void print(Rollout r) {
        System.out.println("Model " + r.model() + " version " + r.version() + ": " + r.state()
                + (r.reason().isEmpty() ? "" : " - " + r.reason()));
        System.out.println("  from version " + r.from() + ", started " + r.started() + ", stage since "
                + r.stageStarted());
        System.out.println("  policy " + r.policy().asMap());
        if (r.figures() != null) {
            System.out.println("  " + summary(r.figures()));
        }
        if (r.labels() != null) {
            Rollout.LabelFigures l = r.labels();
            System.out.println(String.format(Locale.ROOT, "  live %s: %.4g on %d labels, active %.4g on %d",
                    l.classifier() ? "accuracy" : "mean absolute error", l.candidateScore(), l.candidateLabels(),
                    l.activeScore(), l.activeLabels()));
        }
    }

    /** One line of a trial's figures (also the model list's). */
    static String summary(TrialFigures f) {
        return String.format(Locale.ROOT, "%s: %d requests, %d compared, errors %.1f %% (%d), p99 %.1f ms vs %.1f ms,"
                + " output drift %.3f (bias %+.3f)%s", f.stage().name().toLowerCase(Locale.ROOT), f.requests(),
                f.compared(), f.errorRate() * 100, f.candidateErrors(), f.candidateP99Millis(), f.activeP99Millis(),
                f.outputDrift(), f.outputBias(), f.skipped() > 0 ? ", " + f.skipped() + " copies skipped" : "");
    }
}
