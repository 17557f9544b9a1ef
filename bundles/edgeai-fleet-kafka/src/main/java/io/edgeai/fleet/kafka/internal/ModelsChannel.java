package io.edgeai.fleet.kafka.internal;

import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models topic, down: each message is a model archive (the value, a zip as uploads are) for the model its key
 * names, with an optional header {@code edgeai-stage} ({@code rollout}, {@code active} or {@code staged}). Every
 * gateway reads the whole topic (a consumer group of its own, from the start the first time; the topic is compacted, so
 * the start is each model's newest archive). An archive is registered as the registry registers an upload from the
 * fleet (checksums, its signature and the fleet's signature policy, a trial forward pass), then rolled out, made
 * active or left staged. An archive the gateway already applied (same SHA-256) is not registered twice. The offset is
 * committed once a message was acted on, refused ones too: a bad archive says why (log, counts, the gateway's status)
 * and does not block the topic.
 */
final class ModelsChannel extends ConsumerThread {

    static final String STAGE_HEADER = "edgeai-stage";
    private static final Logger LOG = LoggerFactory.getLogger(ModelsChannel.class);

    /** What the gateway last did with a model from the fleet. */
    record Applied(String sha256, int version, String outcome) {
    }

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final String topic;
    private final ModelRegistry registry;
    private final String defaultStage;
    private final AppliedModels applied;
    private final Path scratch;
    private final LongAdder registered;
    private final LongAdder refused;
    private final Runnable changed;

    ModelsChannel(Supplier<Consumer<byte[], byte[]>> consumers, String topic, ModelRegistry registry,
            String defaultStage, AppliedModels applied, Path scratch, LongAdder registered, LongAdder refused,
            Runnable changed) {
        super("edgeai-fleet-models");
        this.consumers = consumers;
        this.topic = topic;
        this.registry = registry;
        this.defaultStage = stage(defaultStage).orElseThrow(() -> new IllegalArgumentException(
                "modelStage must be rollout, active or staged, not '" + defaultStage + "'"));
        this.applied = applied;
        this.scratch = scratch;
        this.registered = registered;
        this.refused = refused;
        this.changed = changed;
    }


    @Override
    public void run() {
        try {
            consumer = consumers.get();
            consumer.subscribe(List.of(topic));
            while (running()) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofSeconds(1));
                } catch (WakeupException e) {
                    break;
                } catch (KafkaException e) {
                    failed("reading " + topic, e);
                    continue;
                }
                succeeded("reading " + topic);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    apply(record);
                }
                if (!records.isEmpty()) {
                    commit();
                }
            }
        } catch (WakeupException e) {
            LOG.debug("Fleet models: woken up to stop");
        } catch (RuntimeException e) {
            LOG.warn("Fleet models: stopped reading {}: {}", topic, e.toString());
        } finally {
            closeConsumer();
        }
    }

    private void commit() {
        try {
            consumer.commitSync();
        } catch (KafkaException e) {
            // the messages come again after a restart; the SHA-256 check keeps them from being registered twice
            LOG.warn("Fleet models: could not note what was read ({}); it will be read again", e.getMessage());
        }
    }

    /** Acts on one message of the topic; never throws for a bad message. */
    void apply(ConsumerRecord<byte[], byte[]> record) {
        String model = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        String where = topic + "-" + record.partition() + "@" + record.offset();
        if (model.isBlank()) {
            refuse(model, null, where, "the message has no key (the model's name)");
            return;
        }
        if (record.value() == null) {
            LOG.info("Fleet models: {} withdrawn from the fleet ({}); its versions stay on this gateway", model,
                    where);
            return;
        }
        String sha256 = sha256(record.value());
        Applied before = applied.get(model);
        if (before != null && before.sha256().equals(sha256) && before.version() > 0) {
            LOG.debug("Fleet models: {} {} already applied", model, where);
            return;
        }
        Header header = record.headers().lastHeader(STAGE_HEADER);
        String asked = header == null ? defaultStage : new String(header.value(), StandardCharsets.UTF_8);
        Optional<String> stage = stage(asked);
        if (stage.isEmpty()) {
            refuse(model, sha256, where, STAGE_HEADER + " must be rollout, active or staged, not '" + asked + "'");
            return;
        }
        Path archive = null;
        try {
            Files.createDirectories(scratch);
            archive = Files.createTempFile(scratch, "fleet-", ".zip");
            Files.write(archive, record.value());
            ModelVersion version = registry.register(model, archive, null, ModelRegistry.Source.FLEET);
            registered.increment();
            String outcome = act(model, version.version(), stage.get());
            applied.put(model, new Applied(sha256, version.version(), outcome));
            LOG.info("Fleet models: {} version {} from {} ({} bytes): {}", model, version.version(), where,
                    record.value().length, outcome);
            changed.run();
        } catch (InvalidModelException e) {
            refuse(model, sha256, where, e.getMessage());
        } catch (IOException e) {
            refuse(model, sha256, where, "could not keep the archive: " + e.getMessage());
        } finally {
            if (archive != null) {
                try {
                    Files.deleteIfExists(archive);
                } catch (IOException e) {
                    LOG.debug("Fleet models: {} left behind: {}", archive, e.getMessage());
                }
            }
        }
    }

    /** What the version does once registered, as asked; a refusal of the stage keeps it registered, staged. */
    private String act(String model, int version, String stage) {
        try {
            switch (stage) {
                case "active":
                    registry.promote(model, version);
                    return "active";
                case "rollout":
                    if (registry.active(model).isEmpty()) {
                        // nothing to compare with: the first version of a model serves at once
                        registry.promote(model, version);
                        return "active (the model's first version: nothing to roll out against)";
                    }
                    registry.startRollout(model, version, Map.of());
                    return "rollout started";
                default:
                    return "staged";
            }
        } catch (InvalidModelException e) {
            return "registered, staged: " + stage + " refused: " + e.getMessage();
        }
    }

    private void refuse(String model, String sha256, String where, String reason) {
        refused.increment();
        LOG.warn("Fleet models: refused {} from {}: {}", model.isBlank() ? "a message" : model, where, reason);
        if (!model.isBlank()) {
            applied.put(model, new Applied(sha256 == null ? "" : sha256, 0, "refused: " + reason));
            changed.run();
        }
    }

    private static Optional<String> stage(String text) {
        String stage = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return List.of("rollout", "active", "staged").contains(stage) ? Optional.of(stage) : Optional.empty();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }


}
