package io.edgeai.fleet.kafka.internal;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.connector.ConnectorStats;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.monitoring.EdgeAiEvents;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.outbox.Outbox;
import io.edgeai.api.outbox.Outboxes;
import io.edgeai.api.reading.Result;
import io.edgeai.api.reading.ResultListener;
import io.edgeai.api.training.FederatedTraining;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ConnectorSupport;
import io.edgeai.connector.support.ResultJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway in a fleet on Apache Kafka (feature {@code edgeai-fleet-kafka}, {@code etc/io.edgeai.fleet.kafka.cfg}).
 * Up: every result (and every anomaly alert) goes into the outbox {@code fleet-kafka} (the embedded broker's journal:
 * on disk before the device gets its answer, bounded, counted when full) and from there to the cluster
 * ({@link FleetForwarder}), keyed {@code <gatewayId>/<deviceId>} so that a device's messages share a partition and keep
 * their order; the gateway's status (models, health, outbox) goes to a compacted topic keyed by the gateway, now and
 * then and on every model change (a status is a snapshot: the next one replaces it, none is kept while the cluster is
 * away). Down: the models topic ({@link ModelsChannel}). Shown as connector {@code kafka}.
 */
@Component(service = {ResultListener.class, EventHandler.class}, immediate = true,
        configurationPid = "io.edgeai.fleet.kafka", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = EventConstants.EVENT_TOPIC + "=" + EdgeAiEvents.TOPIC_ROOT + "model/*")
@Designate(ocd = FleetConfig.class)
public class KafkaFleet implements ResultListener, EventHandler {

    static final String OUTBOX = "fleet-kafka";
    static final String GATEWAY_HEADER = "edgeai-gateway";
    static final String DEVICE_HEADER = "edgeai-device";
    static final String SEQ_HEADER = "edgeai-seq";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFleet.class);
    private static final String RESULTS = "results";
    private static final String ALERTS = "alerts";
    private static final String STATUS = "status";

    private final FleetConfig config;
    private final String gatewayId;
    private final Set<String> send;
    private final ConnectorSupport connector;
    private final ConnectorCounters counters;
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder tooLarge = new LongAdder();
    private final LongAdder statusSent = new LongAdder();
    private final LongAdder modelsRegistered = new LongAdder();
    private final LongAdder modelsRefused = new LongAdder();
    private final AtomicBoolean statusDue = new AtomicBoolean();
    private final AppliedModels applied;
    private final ModelRegistry registry;
    private Outbox outbox;
    private FleetForwarder forwarder;
    private ModelsChannel models;
    private FederatedParticipant participant;
    private final LongAdder federatedRounds = new LongAdder();
    private final LongAdder federatedBytes = new LongAdder();
    private ScheduledExecutorService statusTimer;
    private Producer<byte[], byte[]> statusProducer;
    private volatile String problem;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<HealthIndicator> indicators;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Connector> connectors;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FederatedTraining training;

    @Activate
    public KafkaFleet(BundleContext context, @Reference Outboxes outboxes, @Reference ModelRegistry registry,
            FleetConfig config, Map<String, Object> properties) {
        this.config = config;
        this.registry = registry;
        this.gatewayId = config.gatewayId().isBlank() ? ResultJson.hostName() : config.gatewayId().trim();
        this.send = Arrays.stream(config.send()).flatMap(s -> Arrays.stream(s.split(","))).map(String::trim)
                .map(s -> s.toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        Path data = Paths.get(System.getProperty("karaf.data", "data"), "edgeai", "fleet");
        this.applied = new AppliedModels(data.resolve("models.json"));
        this.connector = new ConnectorSupport("kafka", () -> null).endpoint(config::bootstrapServers)
                .healthFrom(c -> health()).more(this::stats)
                .count("forwarded", null, forwarded, LongAdder::sum)
                .count("dropped", config.overflow().trim().toLowerCase(Locale.ROOT).replace("drop-", ""), this,
                        KafkaFleet::dropped)
                .count("dropped", "too_large", tooLarge, LongAdder::sum)
                .count("models", "registered", modelsRegistered, LongAdder::sum)
                .count("models", "refused", modelsRefused, LongAdder::sum)
                .count("federated", "rounds", federatedRounds, LongAdder::sum)
                .count("federated", "bytes", federatedBytes, LongAdder::sum)
                .level("queued", this, KafkaFleet::queued);
        this.counters = connector.counters();
        if (config.bootstrapServers().isBlank()) {
            // installed, not configured: nothing to say in the gateway's health
            LOG.info("Fleet link off: no bootstrapServers in etc/io.edgeai.fleet.kafka.cfg");
            return;
        }
        try {
            start(outboxes, properties, data);
        } catch (IllegalArgumentException | KafkaException | IOException e) {
            problem = "fleet link off: " + e.getMessage();
            LOG.error("Fleet link off: {}", e.getMessage());
            stopAll();
        }
        connector.publish(context);
    }

    private void start(Outboxes outboxes, Map<String, Object> properties, Path data) throws IOException {
        Set<String> unknown = send.stream().filter(s -> !Set.of(RESULTS, ALERTS, STATUS).contains(s))
                .collect(Collectors.toSet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("send may hold results, alerts and status, not " + unknown);
        }
        Properties common = KafkaSettings.common(config, "edgeai-" + gatewayId, properties);
        Properties producer = KafkaSettings.producer(config, common);
        // one producer to check the settings now: a typo is refused at start, not at the first message
        KafkaSettings.withClientLoader(() -> newProducer(producer)).close();
        outbox = outboxes.open(OUTBOX, config.maxMessages(), Outboxes.Overflow.parse(config.overflow()),
                Math.max(1, config.batch()));
        forwarder = new FleetForwarder(outbox, () -> KafkaSettings.withClientLoader(() -> newProducer(producer)),
                this::record, Math.max(1, config.maxRetryDelaySeconds()) * 1000L, forwarded, tooLarge);
        forwarder.start();
        if (!config.modelsTopic().isBlank()) {
            Properties consumer = KafkaSettings.consumer(common, "edgeai-" + gatewayId);
            models = new ModelsChannel(() -> KafkaSettings.withClientLoader(() -> new KafkaConsumer<>(consumer,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())), config.modelsTopic().trim(), registry,
                    config.modelStage(), applied, data.resolve("incoming"), modelsRegistered, modelsRefused,
                    () -> statusDue.set(true));
            models.start();
        }
        Set<String> tasks = Arrays.stream(config.federatedTasks()).flatMap(t -> Arrays.stream(t.split(",")))
                .map(String::trim).filter(t -> !t.isEmpty()).collect(Collectors.toSet());
        if (!tasks.isEmpty()) {
            Properties consumer = KafkaSettings.consumer(common, "edgeai-fl-" + gatewayId);
            consumer.put("auto.offset.reset", "latest");
            participant = new FederatedParticipant(() -> KafkaSettings.withClientLoader(() -> new KafkaConsumer<>(
                    consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer())),
                    () -> KafkaSettings.withClientLoader(() -> newProducer(producer)), config.roundsTopic(),
                    config.updatesTopic(), gatewayId, tasks, () -> training, federatedRounds, federatedBytes);
            participant.start();
        }
        if (send.contains(STATUS)) {
            statusProducer = KafkaSettings.withClientLoader(() -> newProducer(producer));
            statusTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "edgeai-fleet-status");
                thread.setDaemon(true);
                return thread;
            });
            statusDue.set(true);
            long every = Math.max(1, config.statusIntervalSeconds());
            long[] since = {0};
            // a tick each second: a model change is told within a second, the rest every statusIntervalSeconds
            statusTimer.scheduleWithFixedDelay(() -> {
                if (statusDue.getAndSet(false) || ++since[0] >= every) {
                    since[0] = 0;
                    sendStatus();
                }
            }, 0, 1, TimeUnit.SECONDS);
        }
        LOG.info("Fleet link to {} as {}: {} up, models from {}, federated tasks {}; up to {} messages kept while it"
                + " is away ({})", config.bootstrapServers(), gatewayId, send, config.modelsTopic().isBlank()
                ? "nowhere" : config.modelsTopic(), tasks, config.maxMessages(), config.overflow());
    }

    private static Producer<byte[], byte[]> newProducer(Properties settings) {
        return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Keeps a result (and, when it opens an anomaly episode, an alert) for the cluster; on disk when it returns. */
    @Override
    public void resultChanged(Result result) {
        Outbox store = outbox;
        if (store == null || forwarder == null) {
            return;
        }
        boolean alert = result.verdict() != null && result.verdict().alert() && send.contains(ALERTS);
        if (!send.contains(RESULTS) && !alert) {
            return;
        }
        counters.received();
        byte[] body = ResultJson.write(result).getBytes(StandardCharsets.UTF_8);
        try {
            boolean kept = !send.contains(RESULTS) || store.put(RESULTS + " " + result.deviceId(), body);
            if (alert) {
                kept &= store.put(ALERTS + " " + result.deviceId(), body);
            }
            if (kept) {
                counters.accepted();
            }
        } catch (IOException e) {
            counters.failed();
            LOG.warn("Fleet link: the outbox refused a result of {}: {}", result.deviceId(), e.getMessage());
        }
    }

    /** The Kafka message of a kept result: topic by kind, key and headers name gateway and device, seq its number. */
    private ProducerRecord<byte[], byte[]> record(Outbox.Kept kept) {
        int space = kept.key().indexOf(' ');
        String kind = space < 0 ? RESULTS : kept.key().substring(0, space);
        String device = space < 0 ? kept.key() : kept.key().substring(space + 1);
        String topic = ALERTS.equals(kind) ? config.alertsTopic() : config.resultsTopic();
        byte[] value = ResultJson.forUplink(kept.body(), gatewayId, kept.seq());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                (gatewayId + "/" + device).getBytes(StandardCharsets.UTF_8), value);
        record.headers().add(GATEWAY_HEADER, gatewayId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(DEVICE_HEADER, device.getBytes(StandardCharsets.UTF_8));
        record.headers().add(SEQ_HEADER, Long.toString(kept.seq()).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** A model changed on this gateway: its status goes up within a second. */
    @Override
    public void handleEvent(Event event) {
        statusDue.set(true);
    }

    private void sendStatus() {
        Producer<byte[], byte[]> producer = statusProducer;
        if (producer == null) {
            return;
        }
        try {
            byte[] status = FleetStatus.of(gatewayId, registry, applied.all(), health(), healths(),
                    queued(), dropped());
            producer.send(new ProducerRecord<>(config.statusTopic(), gatewayId.getBytes(StandardCharsets.UTF_8),
                    status), (metadata, e) -> {
                        if (e == null) {
                            statusSent.increment();
                        }
                    });
        } catch (KafkaException | IOException e) {
            LOG.debug("Fleet link: status not sent: {}", e.getMessage());
        }
    }

    private List<Health> healths() {
        List<Health> all = new ArrayList<>();
        List<HealthIndicator> some = indicators;
        List<Connector> others = connectors;
        for (HealthIndicator indicator : some == null ? List.<HealthIndicator>of() : some) {
            all.add(indicator.health());
        }
        for (Connector other : others == null ? List.<Connector>of() : others) {
            if (!other.name().equals("kafka")) {
                all.add(other.health());
            }
        }
        return all;
    }

    @Deactivate
    void deactivate() {
        stopAll();
        connector.close();
    }

    private void stopAll() {
        long wait = Math.max(1, config.timeoutSeconds()) * 1000L + 2000;
        try {
            if (statusTimer != null) {
                statusTimer.shutdownNow();
            }
            if (participant != null && !participant.stop(wait)) {
                LOG.warn("Federated: did not stop within {} ms", wait);
            }
            if (models != null && !models.stop(wait)) {
                LOG.warn("Fleet models: did not stop within {} ms", wait);
            }
            if (forwarder != null && !forwarder.stop(wait)) {
                LOG.warn("Fleet link: did not stop within {} ms", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (statusProducer != null) {
            statusProducer.close(java.time.Duration.ZERO);
        }
        if (outbox != null) {
            outbox.close();
        }
    }

    private ConnectorStats stats(ConnectorCounters common) {
        return common.stats(List.of(new ConnectorStats.Count("forwarded", null, forwarded.sum()),
                new ConnectorStats.Count("dropped", config.overflow().trim().toLowerCase(Locale.ROOT)
                        .replace("drop-", ""), dropped()),
                new ConnectorStats.Count("dropped", "too_large", tooLarge.sum()),
                new ConnectorStats.Count("models", "registered", modelsRegistered.sum()),
                new ConnectorStats.Count("models", "refused", modelsRefused.sum()),
                new ConnectorStats.Count("status", null, statusSent.sum()),
                new ConnectorStats.Count("federated", "rounds", federatedRounds.sum()),
                new ConnectorStats.Count("federated", "bytes", federatedBytes.sum())), Map.of("queued", queued()));
    }

    private long queued() {
        Outbox store = outbox;
        return store == null ? 0 : store.size();
    }

    private long dropped() {
        Outbox store = outbox;
        return store == null ? 0 : store.dropped();
    }

    private Health health() {
        if (problem != null) {
            return connector.health(Status.DOWN, problem);
        }
        if (forwarder.failure() != null) {
            return connector.health(Status.DOWN, forwarder.failure());
        }
        if (!forwarder.connected()) {
            return connector.health(Status.DEGRADED, "cluster " + config.bootstrapServers() + " not reached ("
                    + forwarder.lastError() + "); " + queued() + " messages kept, oldest first");
        }
        return connector.health(Status.UP, "sending to " + config.bootstrapServers() + " as " + gatewayId + "; "
                + queued() + " messages waiting");
    }
}
