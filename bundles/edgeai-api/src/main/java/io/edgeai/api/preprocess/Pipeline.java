package io.edgeai.api.preprocess;

import io.edgeai.api.reading.Reading;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A named, live preprocessing pipeline, registered as a service with {@link #NAME_PROPERTY}. The same definition and
 * fitted state are used when training and when serving, so a model is always fed data prepared the way it learned
 * from. Its definition can change while readings flow: each reading goes through exactly one revision.
 */
@ProviderType
public interface Pipeline {

    /** Service property holding the pipeline name. */
    String NAME_PROPERTY = "pipeline.name";

    /** Camel header set by {@code edgeai:preprocess}: the pipeline's name. */
    String HEADER_PIPELINE = io.edgeai.api.routes.EdgeAiHeaders.PIPELINE;

    /** Camel header set by {@code edgeai:preprocess}: the revision that processed the reading. */
    String HEADER_REVISION = io.edgeai.api.routes.EdgeAiHeaders.PIPELINE_REVISION;

    String name();

    /**
     * Feeds one reading through the pipeline's current revision.
     *
     * @return the revision that processed it and the feature vectors it completed: usually one; none while a window
     *     fills, a duplicate is dropped or the pipeline is still learning; several when a gap is filled
     * @throws PreprocessException when the reading is refused (the reason is counted)
     */
    Preprocessed process(Reading reading) throws PreprocessException;

    /** What the pipeline is doing now, its definition and its counters. */
    PipelineStatus status();
}
