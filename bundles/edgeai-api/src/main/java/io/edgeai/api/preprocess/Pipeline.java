package io.edgeai.api.preprocess;

import io.edgeai.api.reading.Reading;
import java.util.Optional;

/**
 * A named, fitted preprocessing pipeline. The same definition and fitted state are used when training and when
 * serving, so a model is always fed data prepared the way it learned from.
 */
public interface Pipeline {

    /** Service property holding the pipeline name. */
    String NAME_PROPERTY = "pipeline.name";

    String name();

    /**
     * Feeds one reading through the pipeline.
     *
     * @return the features, or empty while a window is still filling
     * @throws PreprocessException when the reading is refused (the reason is counted)
     */
    Optional<Features> process(Reading reading) throws PreprocessException;
}
