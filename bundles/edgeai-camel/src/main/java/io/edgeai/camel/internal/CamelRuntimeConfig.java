package io.edgeai.camel.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway Camel runtime", description = "The gateway's shared CamelContext")
@interface CamelRuntimeConfig {

    @AttributeDefinition(description = "Name of the CamelContext")
    String contextName() default "edgeai";

    @AttributeDefinition(description = "Seconds a route may take to finish in-flight exchanges when it is removed")
    int shutdownTimeoutSeconds() default 10;
}
