package io.edgeai.fleet.kafka.internal;

import io.edgeai.api.model.ModelSigning;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.training.FederatedTraining;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The federated aggregator on this gateway (feature {@code edgeai-fleet-aggregator}): the fleet link's cluster and
 * security ({@code etc/io.edgeai.fleet.kafka.cfg}) and the federation named in {@code etc/io.edgeai.fleet.aggregator
 * .cfg}; see {@link FederatedAggregator}. Its health is component {@code fleet-aggregator}.
 */
@Component(service = HealthIndicator.class, immediate = true,
        configurationPid = {"io.edgeai.fleet.kafka", "io.edgeai.fleet.aggregator"},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class AggregatorComponent implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(AggregatorComponent.class);

    private final FederatedAggregator aggregator;
    private final String problem;

    @Activate
    public AggregatorComponent(@Reference FederatedTraining training, @Reference ModelSigning signing,
            FleetConfig fleet, AggregatorConfig config, Map<String, Object> properties) {
        FederatedAggregator made = null;
        String why = null;
        Path home = Paths.get(System.getProperty("karaf.home", "."));
        try {
            if (config.federation().isBlank()) {
                throw new IllegalArgumentException("no federation in etc/io.edgeai.fleet.aggregator.cfg");
            }
            Federation.Definition federation = Federation.Definition.read(home.resolve(config.federation()));
            String gatewayId = fleet.gatewayId().isBlank() ? io.edgeai.connector.support.ResultJson.hostName()
                    : fleet.gatewayId().trim();
            Properties common = KafkaSettings.common(fleet, "edgeai-aggregator-" + gatewayId, properties);
            Properties producer = KafkaSettings.producer(fleet, common);
            Properties consumer = KafkaSettings.consumer(common, "edgeai-aggregator-" + federation.task());
            made = new FederatedAggregator(federation, () -> KafkaSettings.withClientLoader(() -> new KafkaConsumer<>(
                    consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer())),
                    () -> KafkaSettings.withClientLoader(() -> new KafkaProducer<>(producer, new ByteArraySerializer(),
                            new ByteArraySerializer())), fleet.roundsTopic(), fleet.updatesTopic(),
                    fleet.modelsTopic(), gatewayId, training, signing, home.resolve(config.signingKey()),
                    Paths.get(System.getProperty("karaf.data", "data"), "edgeai", "fleet"));
            made.start();
            LOG.info("Federated: aggregating {} ({} rounds, {} participants, quorum {}, {} s a round, mu {})",
                    federation.task(), federation.rounds(), federation.participants(), federation.quorum(),
                    federation.roundSeconds(), federation.mu());
        } catch (IOException | IllegalArgumentException | KafkaException e) {
            why = e.getMessage();
            LOG.error("Federated: no aggregation: {}", why);
        }
        this.aggregator = made;
        this.problem = why;
    }

    @Override
    public Health health() {
        if (problem != null) {
            return new Health("fleet-aggregator", Status.DOWN, problem);
        }
        String where = aggregator.where();
        return new Health("fleet-aggregator", where.startsWith("stopped") ? Status.DOWN : Status.UP, where);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (aggregator != null && !aggregator.stop(5000)) {
            LOG.warn("Federated: the aggregator did not stop within 5 s");
        }
    }
}
