package io.edgeai.fleet.kafka.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway federated aggregator",
        description = "Runs one federation's rounds on the fleet's Kafka cluster (etc/io.edgeai.fleet.kafka.cfg)")
@interface AggregatorConfig {

    @AttributeDefinition(description = "The federation's file (JSON: task, model, rounds, participants, quorum,"
            + " roundSeconds, mu, stage, spec), relative to the gateway's folder; empty = none")
    String federation() default "";

    @AttributeDefinition(description = "The key the final model is signed with (the gateway's own by default)")
    String signingKey() default "etc/edgeai/keys/gateway.key";
}
