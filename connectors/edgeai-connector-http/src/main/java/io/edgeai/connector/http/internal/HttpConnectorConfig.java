package io.edgeai.connector.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway HTTP connector")
@interface HttpConnectorConfig {

    @AttributeDefinition(description = "Largest request body in bytes")
    int maxPayloadBytes() default 65536;

    /** No longer read: named API credentials replaced it. Kept to warn whoever still sets it. */
    @AttributeDefinition(description = "No longer read: use API credentials (edgeai:credential-add)")
    String bearerToken() default "";
}
