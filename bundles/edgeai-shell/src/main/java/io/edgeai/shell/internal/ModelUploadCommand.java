package io.edgeai.shell.internal;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "model-upload",
        description = "Registers a model archive (a zip with model.json and model.pt) as the model's next version,"
                + " after checking it and trying it; --promote makes it active at once")
public class ModelUploadCommand implements Action {

    @Reference(optional = true) // a missing service must not hold back every other edgeai command
    ModelRegistry registry;

    @Argument(index = 0, name = "model", required = true)
    @Completion(ModelNameCompleter.class)
    String model;

    @Argument(index = 1, name = "archive", description = "Path of the zip on the gateway", required = true)
    @Completion(FileCompleter.class)
    String archive;

    @Option(name = "--promote", description = "Make the new version active")
    boolean promote;

    @Override
    public Object execute() throws Exception {
        if (registry == null) {
            throw new CommandException("No model registry: feature edgeai-inference is not installed");
        }
        Path file = Paths.get(archive).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new CommandException("No file " + file);
        }
        try {
            ModelVersion registered = registry.register(model, file, null, ModelRegistry.Source.UPLOAD);
            System.out.println("Model " + model + " version " + registered.version() + " registered ("
                    + registered.spec().inputSize() + " -> " + registered.spec().outputSize() + ", sha256 "
                    + registered.sha256() + ")");
            if (promote) {
                registry.promote(model, registered.version());
                System.out.println("Model " + model + " version " + registered.version() + " is active");
            }
        } catch (InvalidModelException e) {
            throw new CommandException("Refused: " + e.getMessage());
        }
        return null;
    }
}
