package io.edgeai.api.preprocess;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: makes steps of one type, named by the service property {@link #TYPE_PROPERTY}, from the parameters of
 * a pipeline definition. A bundle adds a step type by registering one.
 */
@ConsumerType
public interface StepFactory {

    /** Service property holding the step type, e.g. {@code zscore}. */
    String TYPE_PROPERTY = "step.type";

    /**
     * Makes a step.
     *
     * @param parameters the step's parameters from the definition (numbers, strings, lists, maps)
     * @throws IllegalArgumentException naming the parameter that is wrong and why
     */
    Step create(Map<String, Object> parameters);
}
