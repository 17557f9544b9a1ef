package io.edgeai.api.preprocess;

import java.util.List;
import java.util.Optional;

/** Every pipeline the gateway knows of, including files that were refused, for the console and health checks. */
public interface Pipelines {

    List<PipelineStatus> list();

    Optional<PipelineStatus> status(String name);
}
