package io.edgeai.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The API's limits: read from the HTTP connector's configuration ({@code etc/io.edgeai.connector.http.cfg}), where
 * they were before the API had a bundle of its own, so that one setting still bounds every body the gateway's HTTP
 * service reads.
 */
@ObjectClassDefinition(name = "Edge AI Gateway HTTP API")
@interface RestConfig {

    @AttributeDefinition(description = "Largest request body in bytes (predict rows, labels)")
    int maxPayloadBytes() default 65536;

    @AttributeDefinition(description = "Largest history in bytes one anomaly replay takes (POST"
            + " /api/v1/anomaly/{deviceId}/replay; about 50 bytes per reading). The history and its readings are held"
            + " in memory while it is replayed, about 10 times its size: the shipped heap is 384 MB")
    int maxReplayBytes() default 4 * 1024 * 1024;
}
