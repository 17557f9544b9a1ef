package io.edgeai.monitoring.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway monitoring")
@interface MonitoringConfig {

    @AttributeDefinition(description = "The newest values of a model input or output compared with what the model"
            + " was trained on (reference.json)")
    int driftWindow() default 100;

    @AttributeDefinition(description = "A window drifts when the Kolmogorov-Smirnov p-value falls below this")
    double driftAlpha() default 0.001;

    @AttributeDefinition(description = "Batches waiting for drift monitoring; beyond, a batch is not monitored"
            + " (counted)")
    int driftQueue() default 1024;
}
