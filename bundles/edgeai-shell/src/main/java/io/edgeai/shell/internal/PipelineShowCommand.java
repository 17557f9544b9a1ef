package io.edgeai.shell.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.preprocess.PipelineStatus;
import io.edgeai.api.preprocess.Pipelines;
import java.io.IOException;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "pipeline-show",
        description = "Shows one pipeline: its steps with their parameters, what they learned, counters by reason")
public class PipelineShowCommand implements Action {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference(optional = true)
    Pipelines pipelines;

    @Argument(index = 0, name = "pipeline", description = "The pipeline's name", required = true)
    @Completion(PipelineNameCompleter.class)
    String name;

    @Override
    public Object execute() throws Exception {
        Optional<PipelineStatus> found = pipelines == null ? Optional.empty() : pipelines.status(name);
        if (found.isEmpty()) {
            throw new CommandException("No pipeline '" + name + "' (edgeai:pipeline-list shows them)");
        }
        PipelineStatus p = found.get();
        System.out.println("Pipeline   " + p.name());
        System.out.println("File       " + p.source());
        System.out.println("State      " + p.state() + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")")
                + (p.revision() > 0 ? ", revision " + p.revision() : "") + ", changed " + p.changed());
        if (p.error() != null) {
            System.out.println("Refused    " + p.error() + (p.revision() > 0 ? " (revision " + p.revision()
                    + " keeps serving)" : ""));
        }
        StringBuilder counters = new StringBuilder();
        p.counters().forEach((k, v) -> counters.append(counters.length() > 0 ? ", " : "").append(k).append('=')
                .append(v));
        System.out.println("Counters   " + counters);
        if (p.definition() != null) {
            JsonNode definition = JSON.readTree(p.definition());
            JsonNode learned = p.fittedState() == null ? null : JSON.readTree(p.fittedState());
            System.out.println("Steps");
            for (int i = 0; i < definition.get("steps").size(); i++) {
                JsonNode step = definition.get("steps").get(i);
                StringBuilder parameters = new StringBuilder();
                step.fields().forEachRemaining(f -> {
                    if (!"type".equals(f.getKey())) {
                        parameters.append(parameters.length() > 0 ? ", " : "").append(f.getKey()).append('=')
                                .append(f.getValue());
                    }
                });
                System.out.printf("  %2d. %-18s %s%n", i + 1, step.get("type").asText(), parameters);
                if (learned != null && learned.get(i) != null && !learned.get(i).isEmpty()) {
                    System.out.println("      learned: " + learned.get(i));
                }
            }
            if (definition.has("fit")) {
                System.out.println("Fit        on the first " + definition.get("fit").get("samples") + " readings");
            }
        }
        return null;
    }
}
