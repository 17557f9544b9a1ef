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

    @AttributeDefinition(description = "The window is compared with the reference every this many values (the cost"
            + " divided by it; a drift seen at most this many values minus one later)")
    int driftStride() default 10;

    @AttributeDefinition(description = "Batches waiting for drift monitoring; beyond, a batch is not monitored"
            + " (counted)")
    int driftQueue() default 1024;

    @AttributeDefinition(description = "Seconds between two samples of the meters the dashboard plots")
    double dashboardIntervalSeconds() default 2;

    @AttributeDefinition(description = "Minutes of samples the dashboard keeps (in memory)")
    int dashboardMinutes() default 30;

    @AttributeDefinition(description = "Hours of samples a minute apart the dashboard keeps besides (in memory), for"
            + " its longer time windows")
    int dashboardHours() default 24;

    @AttributeDefinition(description = "When a model value starts drifting, train the model again with the spec of the"
            + " job that made the drifting version")
    boolean retrainOnDrift() default false;

    @AttributeDefinition(description = "At most one retraining on drift per model in this many minutes")
    int retrainMinMinutes() default 60;
}
