package io.edgeai.fleet.kafka.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Edge AI Gateway fleet on Apache Kafka",
        description = "Results, alerts and status up to a Kafka cluster (store-and-forward), models down from it")
@interface FleetConfig {

    @AttributeDefinition(description = "The cluster: host:port[,host:port...]; empty = the fleet link is off")
    String bootstrapServers() default "";

    @AttributeDefinition(description = "This gateway's name in keys and messages; empty = the host name")
    String gatewayId() default "";

    @AttributeDefinition(description = "What goes up: results (every answer with its reading), alerts (anomaly "
            + "alerts), status (models and health)")
    String[] send() default {"results", "alerts", "status"};

    @AttributeDefinition(description = "Topic of the results, keyed <gatewayId>/<deviceId>")
    String resultsTopic() default "edgeai.results";

    @AttributeDefinition(description = "Topic of the anomaly alerts, keyed <gatewayId>/<deviceId>")
    String alertsTopic() default "edgeai.alerts";

    @AttributeDefinition(description = "Topic of the gateways' status (compacted), keyed <gatewayId>")
    String statusTopic() default "edgeai.gateways";

    @AttributeDefinition(description = "Topic of the models the fleet runs (compacted), keyed by model; empty = none")
    String modelsTopic() default "edgeai.models";

    @AttributeDefinition(description = "What a model from the fleet does when its message names no stage", options = {
        @Option(label = "a staged rollout (shadow, canary, active) of the model's policy", value = "rollout"),
        @Option(label = "active at once", value = "active"),
        @Option(label = "registered only", value = "staged")})
    String modelStage() default "rollout";

    @AttributeDefinition(description = "Seconds between two status messages (and on every model change)")
    int statusIntervalSeconds() default 60;

    @AttributeDefinition(description = "Most messages kept while the cluster is away (on disk, in order)")
    long maxMessages() default 100000;

    @AttributeDefinition(description = "What goes when the store is full", options = {
        @Option(label = "drop the oldest message", value = "drop-oldest"),
        @Option(label = "drop the new message", value = "drop-newest")})
    String overflow() default "drop-oldest";

    @AttributeDefinition(description = "Most messages sent to the cluster in one go")
    int batch() default 500;

    @AttributeDefinition(description = "Compression of the messages", options = {
        @Option(label = "none", value = "none"), @Option(label = "gzip", value = "gzip"),
        @Option(label = "lz4", value = "lz4")})
    String compression() default "lz4";

    @AttributeDefinition(description = "Milliseconds the producer waits to fill a batch")
    int lingerMs() default 20;

    @AttributeDefinition(description = "Seconds to wait for the cluster (a request, metadata) before retrying")
    int timeoutSeconds() default 10;

    @AttributeDefinition(description = "Longest wait between two attempts while the cluster is away, in seconds")
    int maxRetryDelaySeconds() default 30;

    @AttributeDefinition(description = "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
    String securityProtocol() default "PLAINTEXT";

    @AttributeDefinition(description = "SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
    String saslMechanism() default "SCRAM-SHA-512";

    @AttributeDefinition(description = "SASL user name")
    String username() default "";

    @AttributeDefinition(description = "SASL password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(description = "CA certificates (PEM) the cluster's certificates are checked against; "
            + "empty = the JDK's")
    String truststore() default "";

    @AttributeDefinition(description = "Federated training: the tasks this gateway trains for (none = it takes part in"
            + " no federation); each round sends only parameters and a sample count")
    String[] federatedTasks() default {};

    @AttributeDefinition(description = "Topic of the federated rounds' announcements, keyed by task")
    String roundsTopic() default "edgeai.fl.rounds";

    @AttributeDefinition(description = "Topic of the participants' updates, keyed <task>/<round>/<gatewayId>")
    String updatesTopic() default "edgeai.fl.updates";
}
