package io.edgeai.shell.internal;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "model-rollback",
        description = "Makes the previously active version active again, the same way as model-promote")
public class ModelRollbackCommand implements Action {

    @Reference(optional = true) // a missing service must not hold back every other edgeai command
    ModelRegistry registry;

    @Argument(index = 0, name = "model", required = true)
    @Completion(ModelNameCompleter.class)
    String model;

    @Override
    public Object execute() throws Exception {
        if (registry == null) {
            throw new CommandException("No model registry: feature edgeai-inference is not installed");
        }
        try {
            ModelVersion active = registry.rollback(model);
            System.out.println("Model " + model + " rolled back: version " + active.version() + " is active");
        } catch (InvalidModelException e) {
            throw new CommandException("Not rolled back: " + e.getMessage());
        }
        return null;
    }
}
