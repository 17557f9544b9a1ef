package io.edgeai.inference.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway inference",
        description = "Dynamic batching, queue bounds and warm-up; applies to versions loaded after a change")
@interface InferenceConfig {

    @AttributeDefinition(description = "Most rows one batch may hold (and one request may carry)")
    int maxBatchSize() default 32;

    @AttributeDefinition(description = "Microseconds a batch waits for more requests after its first one")
    int maxQueueDelayMicros() default 1000;

    @AttributeDefinition(description = "Microseconds without a new request after which a batch runs before"
            + " maxQueueDelayMicros (a lone request does not wait the whole delay)")
    int batchQuietMicros() default 200;

    @AttributeDefinition(description = "Requests that may wait per model; beyond, requests are refused as overloaded")
    int queueCapacity() default 512;

    @AttributeDefinition(description = "Worker threads per model version, each with its own predictor; 0 = one per"
            + " core")
    int workers() default 0;

    @AttributeDefinition(description = "Warm-up passes at batch sizes 1 and maxBatchSize before a version takes"
            + " traffic")
    int warmupRuns() default 3;

    @AttributeDefinition(description = "Seconds a replaced version may take to finish its queued requests")
    int drainTimeoutSeconds() default 30;

    @AttributeDefinition(description = "Seconds loading a model waits for the engine when it is not loaded yet (the first"
            + " model loads libtorch); past it the model is refused with a reason to try again")
    int engineStartSeconds() default 120;

    @AttributeDefinition(description = "Seconds a refused (overloaded) sender is told to wait (Retry-After, Max-Age)")
    int retryAfterSeconds() default 1;
}
