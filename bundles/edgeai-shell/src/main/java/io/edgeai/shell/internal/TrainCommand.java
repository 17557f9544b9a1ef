package io.edgeai.shell.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Service
@Command(scope = "edgeai", name = "train",
        description = "Queues a training job for a new version of a model, from a spec: a JSON file (relative to the"
                + " gateway's folder) or the JSON itself; --wait follows it to the end")
public class TrainCommand implements Action {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference(optional = true)
    TrainingService training;

    @Argument(index = 0, name = "model", required = true, description = "the model to train a version of")
    @Completion(ModelNameCompleter.class)
    String model;

    @Argument(index = 1, name = "spec", required = true,
            description = "a spec file (e.g. etc/train-pump.json) or JSON text ({\"architecture\": ...})")
    String spec;

    @Option(name = "--wait", description = "print progress until the job ends")
    boolean waitForIt;

    @Override
    public Object execute() throws Exception {
        if (training == null) {
            throw new CommandException("No training service: feature edgeai-training is not installed");
        }
        Map<String, Object> parsed;
        try {
            String text = spec.trim().startsWith("{") ? spec : Files.readString(resolve(spec));
            parsed = JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new CommandException("The spec is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CommandException("Cannot read the spec file " + spec + ": " + e.getMessage());
        }
        // one spec format everywhere: the HTTP API's spec names its model, and may be given here as it is
        Object named = parsed.remove("model");
        if (named != null && !model.equals(named)) {
            throw new CommandException("Refused: the spec is for model '" + named + "', the command for '" + model
                    + "'");
        }
        TrainingJob job;
        try {
            job = training.submit(model, parsed);
        } catch (IllegalArgumentException e) {
            throw new CommandException("Refused: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new CommandException("Not queued: " + e.getMessage());
        }
        System.out.println("Training job " + job.id() + " queued for model " + model + " (" + job.epochs()
                + " epochs); follow it with edgeai:job-show " + job.id());
        if (waitForIt) {
            int shown = 0;
            while (!job.state().finished()) {
                Thread.sleep(500);
                job = training.job(job.id()).orElseThrow();
                if (job.epoch() != shown && !job.trainLoss().isEmpty()) {
                    shown = job.epoch();
                    System.out.println(JobShowCommand.progress(job));
                }
            }
            if (job.state() != io.edgeai.api.training.TrainingJob.State.SUCCEEDED) {
                throw new CommandException(job.state() + ": " + job.message()); // a script sees the job fail
            }
            System.out.println(job.state() + ": " + job.message());
        }
        return null;
    }

    private static Path resolve(String file) {
        Path path = Paths.get(file);
        return path.isAbsolute() ? path : Paths.get(System.getProperty("karaf.home", ".")).resolve(path);
    }
}
