package io.edgeai.telemetry.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway telemetry intake")
@interface TelemetryConfig {

    @AttributeDefinition(description = "Run the gateway's own route on direct:edgeai-telemetry")
    boolean defaultRoute() default true;

    @AttributeDefinition(description = "The pipeline the default route runs readings through (none: readings pass as"
            + " they are)")
    String pipeline() default "default";

    @AttributeDefinition(description = "The model the default route asks for each reading's features (empty: none)")
    String model() default "";

    @AttributeDefinition(description = "Without a model: ask the anomaly watch (etc/io.edgeai.anomaly.cfg), so that"
            + " each device stream learns its own anomaly model and readings are answered with a score and a flag")
    boolean anomalyWatch() default true;

    @AttributeDefinition(description = "Readings kept per device for training on recent data (0: none)")
    int historyReadings() default 5000;

    @AttributeDefinition(description = "Devices whose recent readings are kept (the most recently active)")
    int historyDevices() default 50;

    @AttributeDefinition(description = "Most values one reading may carry")
    int maxValues() default 256;
}
