package io.edgeai.connector.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway HTTP connector")
@interface HttpConnectorConfig {

    @AttributeDefinition(description = "Largest request body in bytes")
    int maxPayloadBytes() default 65536;

    @AttributeDefinition(description = "Bearer token every request must carry; empty = no authentication")
    String bearerToken() default "";
}
