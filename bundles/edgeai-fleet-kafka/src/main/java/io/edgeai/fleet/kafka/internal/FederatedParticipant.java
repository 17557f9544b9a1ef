package io.edgeai.fleet.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai.api.training.FederatedTraining;
import io.edgeai.api.training.FederatedTraining.LocalUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's part in federated training: it reads round announcements of the tasks it joins ({@code federatedTasks};
 * none by default: a gateway trains for a federation only when its operator says so), trains the announced spec on its
 * own data from the announced global parameters ({@link FederatedTraining#trainLocally}), and publishes only the
 * parameters and its sample count. A round whose deadline has passed, or one already answered, is skipped.
 */
final class FederatedParticipant extends ConsumerThread {

    private static final Logger LOG = LoggerFactory.getLogger(FederatedParticipant.class);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private final String roundsTopic;
    private final String updatesTopic;
    private final String gatewayId;
    private final Set<String> tasks;
    private final Supplier<FederatedTraining> training;
    private final LongAdder rounds;
    private final LongAdder bytesOut;
    private final Map<String, Integer> answered = new HashMap<>();

    FederatedParticipant(Supplier<Consumer<byte[], byte[]>> consumers, Supplier<Producer<byte[], byte[]>> producers,
            String roundsTopic, String updatesTopic, String gatewayId, Set<String> tasks, Supplier<FederatedTraining> training,
            LongAdder rounds, LongAdder bytesOut) {
        super("edgeai-fleet-federated");
        this.consumers = consumers;
        this.producers = producers;
        this.roundsTopic = roundsTopic;
        this.updatesTopic = updatesTopic;
        this.gatewayId = gatewayId;
        this.tasks = tasks;
        this.training = training;
        this.rounds = rounds;
        this.bytesOut = bytesOut;
    }


    @Override
    public void run() {
        try (Producer<byte[], byte[]> producer = producers.get()) {
            consumer = consumers.get();
            consumer.subscribe(List.of(roundsTopic));
            while (running()) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                        take(record, producer);
                    }
                    consumer.commitSync();
                    succeeded("reading " + roundsTopic);
                } catch (WakeupException e) {
                    break;
                } catch (KafkaException e) {
                    failed("reading " + roundsTopic, e);
                }
            }
        } catch (WakeupException e) {
            LOG.debug("Federated: woken up to stop");
        } catch (RuntimeException e) {
            LOG.warn("Federated: stopped: {}", e.toString());
        } finally {
            closeConsumer();
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record, Producer<byte[], byte[]> producer) {
        JsonNode round;
        try {
            round = Federation.JSON.readTree(record.value());
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Federated: a round announcement at {}@{} is not JSON; skipped", roundsTopic, record.offset());
            return;
        }
        String task = round.path("task").asText();
        int number = round.path("round").asInt();
        if (!tasks.contains(task) || round.path("done").asBoolean() || answered.getOrDefault(task, 0) >= number) {
            return;
        }
        long deadline = round.path("deadline").asLong();
        if (System.currentTimeMillis() >= deadline) {
            LOG.info("Federated: round {} of {} is past its deadline; waiting for the next", number, task);
            return;
        }
        FederatedTraining trainer = training.get();
        if (trainer == null) {
            LOG.warn("Federated: round {} of {} not trained: no training service (feature edgeai-training)", number,
                    task);
            return;
        }
        long started = System.nanoTime();
        try {
            LocalUpdate update = trainer.trainLocally(Federation.spec(round), Federation.global(round),
                    round.path("mu").asDouble(), java.time.Instant.ofEpochMilli(deadline)).toCompletableFuture()
                    .get(Math.max(1, deadline - System.currentTimeMillis()) + 5000, TimeUnit.MILLISECONDS);
            byte[] value = Federation.update(task, number, gatewayId, update);
            producer.send(new ProducerRecord<>(updatesTopic, (task + "/" + number + "/" + gatewayId)
                    .getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
            answered.put(task, number);
            rounds.increment();
            bytesOut.add(value.length);
            LOG.info("Federated: round {}/{} of {}: trained on {} rows in {} ms (loss {}), sent {} bytes", number,
                    round.path("rounds").asInt(), task, update.samples(), (System.nanoTime() - started) / 1_000_000,
                    String.format("%.5f", update.loss()), value.length);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.util.concurrent.CancellationException) {
                LOG.warn("Federated: round {} of {} missed its deadline", number, task);
            } else {
                LOG.warn("Federated: round {} of {} not trained: {}", number, task, e.getCause().getMessage());
            }
            answered.put(task, number);
        } catch (TimeoutException | java.util.concurrent.CancellationException e) {
            LOG.warn("Federated: round {} of {} missed its deadline", number, task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRunning();
        } catch (java.io.IOException | KafkaException e) {
            LOG.warn("Federated: round {} of {}: the update was not sent: {}", number, task, e.getMessage());
        }
    }

}
