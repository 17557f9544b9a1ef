package io.edgeai.fleet.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelSigning;
import io.edgeai.api.training.FederatedTraining;
import io.edgeai.api.training.FederatedTraining.LocalUpdate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator of one federation (feature {@code edgeai-fleet-aggregator}): announces each round with the global
 * parameters and a deadline, waits for {@code participants} updates, or for the deadline with at least {@code quorum}
 * (a straggler does not stall the round; with fewer it waits another {@code roundSeconds} and announces again),
 * averages them weighted by samples (FedAvg; the participants add FedProx's term when {@code mu} > 0), and after the
 * last round writes the global model's archive, signs it with the gateway's key and publishes it on the models topic,
 * where every gateway of the fleet takes it (and checks the signature). Where it is (round, global parameters) is kept
 * in {@code data/edgeai/fleet/federation-<task>.json}: a restart goes on from the last round it closed.
 */
final class FederatedAggregator extends ConsumerThread {

    private static final Logger LOG = LoggerFactory.getLogger(FederatedAggregator.class);

    private final Federation.Definition federation;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private final String roundsTopic;
    private final String updatesTopic;
    private final String modelsTopic;
    private final String gatewayId;
    private final FederatedTraining training;
    private final ModelSigning signing;
    private final Path signingKey;
    private final Path state;
    private volatile String where = "starting";

    FederatedAggregator(Federation.Definition federation, Supplier<Consumer<byte[], byte[]>> consumers,
            Supplier<Producer<byte[], byte[]>> producers, String roundsTopic, String updatesTopic, String modelsTopic,
            String gatewayId, FederatedTraining training, ModelSigning signing, Path signingKey, Path data) {
        super("edgeai-fleet-aggregator");
        this.federation = federation;
        this.consumers = consumers;
        this.producers = producers;
        this.roundsTopic = roundsTopic;
        this.updatesTopic = updatesTopic;
        this.modelsTopic = modelsTopic;
        this.gatewayId = gatewayId;
        this.training = training;
        this.signing = signing;
        this.signingKey = signingKey;
        this.state = data.resolve("federation-" + federation.task() + ".json");
    }


    /** What it does now, for the gateway's health. */
    String where() {
        return where;
    }

    /** Where a federation is: the last round closed, its global parameters, each round's figures, done or not. */
    record State(int round, String global, List<Map<String, Object>> figures, boolean done) {
    }

    @Override
    public void run() {
        try (Producer<byte[], byte[]> producer = producers.get()) {
            State at = Files.exists(state) ? Federation.JSON.readValue(state.toFile(), State.class)
                    : new State(0, null, List.of(), false);
            if (at.done()) {
                where = "federation " + federation.task() + " done (" + at.round() + " rounds)";
                LOG.info("Federated: {} was done before; nothing to do", federation.task());
                return;
            }
            consumer = consumers.get();
            List<TopicPartition> partitions = consumer.partitionsFor(updatesTopic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // updates from now on
            byte[] global = at.global() == null ? null : Base64.getDecoder().decode(at.global());
            List<Map<String, Object>> figures = new ArrayList<>(at.figures());
            for (int round = at.round() + 1; round <= federation.rounds() && running(); round++) {
                Map<String, LocalUpdate> updates = collect(producer, round, global, figures.isEmpty() ? null
                        : figures.get(figures.size() - 1));
                if (updates == null) {
                    return;
                }
                LocalUpdate average = training.average(federation.spec(), new ArrayList<>(updates.values()));
                global = average.parameters();
                Map<String, Object> figure = new LinkedHashMap<>();
                figure.put("round", round);
                figure.put("participants", updates.keySet().stream().sorted().toList());
                figure.put("samples", average.samples());
                figure.put("loss", average.loss());
                figure.put("bytesIn", updates.values().stream().mapToLong(u -> u.parameters().length).sum());
                figure.put("bytesOut", (long) global.length);
                figures.add(figure);
                Federation.write(state, new State(round, Base64.getEncoder().encodeToString(global), figures,
                        false));
                LOG.info("Federated: {} round {}/{} closed with {} ({} samples, loss {})", federation.task(), round,
                        federation.rounds(), updates.keySet(), average.samples(),
                        String.format("%.5f", average.loss()));
                while (round == federation.rounds() && running()) {
                    try {
                        publish(producer, average, figures);
                        break;
                    } catch (SendFailed e) {
                        failed("publishing the model of " + federation.task(), e);
                    }
                }
            }
        } catch (WakeupException e) {
            LOG.debug("Federated: aggregator woken up to stop");
        } catch (IOException | RuntimeException e) {
            where = "stopped: " + e.getMessage();
            LOG.warn("Federated: the aggregator of {} stopped: {}", federation.task(), e.toString());
        } finally {
            closeConsumer();
        }
    }

    /** Announces a round and gathers its updates; null when stopped meanwhile. */
    private Map<String, LocalUpdate> collect(Producer<byte[], byte[]> producer, int round, byte[] global,
            Map<String, Object> previous) throws IOException {
        Map<String, LocalUpdate> updates = new LinkedHashMap<>();
        long deadline = announceUntilSent(producer, round, global, previous);
        while (running()) {
            long now = System.currentTimeMillis();
            if (updates.size() >= federation.participants() || now >= deadline
                    && updates.size() >= federation.quorum()) {
                return updates;
            }
            if (now >= deadline) {
                LOG.warn("Federated: {} round {}: {} of a quorum of {} by the deadline; waiting another {} s",
                        federation.task(), round, updates.size(), federation.quorum(), federation.roundSeconds());
                deadline = announceUntilSent(producer, round, global, previous);
            }
            where = "round " + round + "/" + federation.rounds() + " of " + federation.task() + ": " + updates.size()
                    + " of " + federation.participants() + " updates";
            org.apache.kafka.clients.consumer.ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(Duration.ofMillis(Math.max(1, Math.min(500, deadline - now))));
                succeeded("reading " + updatesTopic);
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                failed("reading " + updatesTopic, e);
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                JsonNode update;
                try {
                    update = Federation.JSON.readTree(record.value());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Federated: {} round {}: an update that is not JSON ignored", federation.task(), round);
                    continue;
                }
                if (federation.task().equals(update.path("task").asText())) {
                    if (update.path("round").asInt() == round) {
                        accept(updates, update, round);
                    } else {
                        LOG.info("Federated: {} round {}: a late update of {} for round {} ignored",
                                federation.task(), round, update.path("gatewayId").asText(),
                                update.path("round").asInt());
                    }
                }
            }
        }
        return null;
    }

    /**
     * Takes a participant's update once it is known to fit the federation's architecture (it loads: the shapes, the
     * parameters' format); a bad update is refused with a WARN and never stops the federation.
     */
    private void accept(Map<String, LocalUpdate> updates, JsonNode update, int round) {
        String from = update.path("gatewayId").asText();
        try {
            LocalUpdate parsed = Federation.update(update);
            LocalUpdate first = updates.values().stream().findFirst().orElse(parsed);
            if (parsed.inputs() != first.inputs() || parsed.outputs() != first.outputs()) {
                throw new IllegalArgumentException(parsed.inputs() + " -> " + parsed.outputs() + " where the others"
                        + " have " + first.inputs() + " -> " + first.outputs());
            }
            training.average(federation.spec(), List.of(parsed));
            updates.put(from, parsed);
        } catch (RuntimeException e) {
            LOG.warn("Federated: {} round {}: the update of {} refused: {}", federation.task(), round, from,
                    e.getMessage());
        }
    }

    /** A send the cluster did not take (away, refusing): tried again, the federation goes on. */
    private static final class SendFailed extends IOException {
        SendFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Announces a round, again and again while the cluster is away (quietly, waiting longer each time). */
    private long announceUntilSent(Producer<byte[], byte[]> producer, int round, byte[] global,
            Map<String, Object> previous) throws IOException {
        while (true) {
            try {
                return announce(producer, round, global, previous);
            } catch (SendFailed e) {
                if (!running()) {
                    throw e;
                }
                where = "round " + round + " of " + federation.task() + " not announced: " + e.getMessage();
                failed("announcing round " + round + " of " + federation.task(), e);
            }
        }
    }

    private long announce(Producer<byte[], byte[]> producer, int round, byte[] global, Map<String, Object> previous)
            throws IOException {
        long deadline = System.currentTimeMillis() + federation.roundSeconds() * 1000L;
        ObjectNode figures = previous == null ? null : Federation.JSON.valueToTree(previous);
        send(producer, roundsTopic, federation.task(), Federation.round(federation, round, global, deadline,
                gatewayId, figures), null);
        return deadline;
    }

    /** The final model: archive, signed with the gateway's key, on the models topic; then "done". */
    private void publish(Producer<byte[], byte[]> producer, LocalUpdate global, List<Map<String, Object>> figures)
            throws IOException {
        Path work = Files.createTempDirectory("edgeai-federated-");
        try {
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", global.loss());
            metrics.put("rounds", (double) federation.rounds());
            metrics.put("samples", (double) global.samples());
            Map<String, Object> lineage = new LinkedHashMap<>();
            lineage.put("federation", federation.task());
            lineage.put("aggregator", gatewayId);
            lineage.put("participants", figures.stream().flatMap(f -> ((List<?>) f.get("participants")).stream())
                    .map(Object::toString).distinct().sorted().collect(Collectors.toList()));
            Path archive = training.export(federation.spec(), global, metrics, lineage, work);
            Path signed = work.resolve("signed.zip");
            signing.sign(archive, signingKey, signed);
            byte[] bytes = Files.readAllBytes(signed);
            send(producer, modelsTopic, federation.model(), bytes, federation.stage());
            Map<String, Object> last = figures.get(figures.size() - 1);
            ObjectNode summary = Federation.JSON.valueToTree(last);
            summary.put("archiveBytes", bytes.length);
            send(producer, roundsTopic, federation.task(), Federation.done(federation, gatewayId, summary), null);
            Federation.write(state, new State(federation.rounds(), null, figures, true));
            where = "federation " + federation.task() + " done: model " + federation.model() + " published ("
                    + bytes.length + " bytes)";
            LOG.info("Federated: {} done after {} rounds: model {} ({} bytes, signed) published on {}",
                    federation.task(), federation.rounds(), federation.model(), bytes.length, modelsTopic);
        } catch (InvalidModelException e) {
            throw new IOException("the global model could not be signed: " + e.getMessage(), e);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void send(Producer<byte[], byte[]> producer, String topic, String key, byte[] value, String stage)
            throws IOException {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value);
        if (stage != null) {
            record.headers().add(ModelsChannel.STAGE_HEADER, stage.getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer.send(record).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | org.apache.kafka.common.KafkaException e) {
            throw new SendFailed("could not publish on " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("stopped", e);
        }
    }

}
