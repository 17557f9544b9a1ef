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

    @AttributeDefinition(description = "Most values one reading may carry")
    int maxValues() default 256;
}
