package io.edgeai.shell.internal;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelRegistry;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "model-delete",
        description = "Deletes a version that is not active (staged or retired) from disk; version numbers are not reused")
public class ModelDeleteCommand implements Action {

    @Reference(optional = true) // a missing service must not hold back every other edgeai command
    ModelRegistry registry;

    @Argument(index = 0, name = "model", required = true)
    @Completion(ModelNameCompleter.class)
    String model;

    @Argument(index = 1, name = "version", required = true)
    int version;

    @Override
    public Object execute() throws Exception {
        if (registry == null) {
            throw new CommandException("No model registry: feature edgeai-inference is not installed");
        }
        try {
            registry.delete(model, version);
            System.out.println("Model " + model + " version " + version + " deleted");
        } catch (InvalidModelException e) {
            throw new CommandException("Not deleted: " + e.getMessage());
        }
        return null;
    }
}
