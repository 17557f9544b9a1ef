package io.edgeai.api.preprocess;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Every pipeline the gateway knows of, including files that were refused, for the console and health checks. */
@ProviderType
public interface Pipelines {

    List<PipelineStatus> list();

    Optional<PipelineStatus> status(String name);

    /**
     * A pipeline exactly as a model archive carries it ({@code pipeline.json}: definition and fitted state, as
     * training serialized it), frozen and ready to serve; not registered as a service, and not changed by files.
     *
     * @throws IllegalArgumentException saying what is wrong with it (unknown step type, state that does not fit)
     */
    Pipeline restore(String name, byte[] serialized);

    /**
     * Fits a pipeline for a model on its training readings: each step learns from what the steps before it make of
     * them (as {@code fit} does for a pipeline file), then the readings go through the fitted pipeline once more,
     * training-only steps included, to become the model's training rows.
     *
     * @param definition the pipeline as a file holds it (YAML or JSON text, {@code name} and {@code steps})
     * @param training the readings, in time order per device
     * @throws IllegalArgumentException saying what is wrong with the definition, with its place
     */
    PipelineFit fit(String definition, List<io.edgeai.api.reading.Reading> training);
}
