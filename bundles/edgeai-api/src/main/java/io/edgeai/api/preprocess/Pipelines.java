package io.edgeai.api.preprocess;

import java.util.List;
import java.util.Optional;

/** Every pipeline the gateway knows of, including files that were refused, for the console and health checks. */
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
}
