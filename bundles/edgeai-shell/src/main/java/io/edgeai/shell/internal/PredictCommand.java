package io.edgeai.shell.internal;

import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.Prediction;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "predict", description = "Asks a model for the outputs of one input row: the values"
        + " its pipeline takes when the active version carries one (as every entry point does), else the model's inputs")
public class PredictCommand implements Action {

    @Reference(optional = true) // a missing service must not hold back every other edgeai command
    InferenceService inference;

    @Option(name = "--skip-pipeline", description = "The row is the model's own input: its version's pipeline is"
            + " skipped")
    boolean skipPipeline;

    @Option(name = "--explain", description = "Also say why: each input's attribution to the answer (integrated"
            + " gradients for models the gateway trains, occlusion for TorchScript)")
    boolean explain;

    @Argument(index = 0, name = "model", required = true)
    @Completion(ModelNameCompleter.class)
    String model;

    @Argument(index = 1, name = "values", description = "The input row, e.g. 0.1 0.2 0.3 (or 0.1,0.2,0.3)",
            required = true, multiValued = true)
    java.util.List<String> values;

    @Override
    public Object execute() throws Exception {
        if (inference == null) {
            throw new CommandException("No inference: feature edgeai-inference is not installed");
        }
        String[] parts = String.join(" ", values).trim().split("[\\s,]+");
        float[] row = new float[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                row[i] = Float.parseFloat(parts[i]);
            }
        } catch (NumberFormatException e) {
            throw new CommandException("Not a number: " + e.getMessage());
        }
        try {
            io.edgeai.api.inference.Explained explained = explain
                    ? inference.explain(model, new float[][] {row}, skipPipeline).toCompletableFuture().get(30,
                            TimeUnit.SECONDS)
                    : new io.edgeai.api.inference.Explained(inference.predict(model, new float[][] {row},
                            skipPipeline).toCompletableFuture().get(30, TimeUnit.SECONDS), null);
            Prediction p = explained.prediction();
            System.out.println(model + " version " + p.version() + ": " + (p.outputs()[0].length == 0
                    ? "no output: its pipeline needs more readings (a window) than one row"
                    : Arrays.toString(p.outputs()[0])));
            io.edgeai.api.inference.Explanation why = explained.explanations() == null ? null
                    : explained.explanations().get(0);
            if (why != null) {
                System.out.printf(java.util.Locale.ROOT, "why (%s, output %d: %.6g against %.6g at the baseline%s):%n",
                        why.method(), why.output(), why.value(), why.baselineValue(), why.completenessError() == null
                        ? "" : String.format(java.util.Locale.ROOT, ", completeness error %.1e",
                                why.completenessError()));
                why.byInput().entrySet().stream().sorted((a, b) -> Double.compare(Math.abs(b.getValue()),
                        Math.abs(a.getValue()))).forEach(e -> System.out.printf(java.util.Locale.ROOT,
                                "  %-24s %+.6g%n", e.getKey(), e.getValue()));
            }
        } catch (ExecutionException e) {
            throw new CommandException("No prediction: " + e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CommandException("No prediction within 30 s");
        }
        return null;
    }
}
