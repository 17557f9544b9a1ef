package io.edgeai.shell.internal;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelRegistry;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

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
    public Object execute() {
        if (registry == null) {
            System.err.println("No model registry: feature edgeai-inference is not installed");
            return null;
        }
        try {
            registry.delete(model, version);
            System.out.println("Model " + model + " version " + version + " deleted");
        } catch (InvalidModelException e) {
            System.err.println("Not deleted: " + e.getMessage());
        }
        return null;
    }
}
