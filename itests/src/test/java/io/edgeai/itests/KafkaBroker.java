package io.edgeai.itests;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Apache Kafka broker (kafka_2.13, the version of the client Camel 4.14 uses) in KRaft mode, one combined
 * broker and controller on free loopback ports, run in a JVM of its own from the test's class path as an operator runs
 * {@code kafka-server-start.sh}: formatted once ({@code kafka-storage.sh format}), stopped with SIGTERM (a controlled
 * shutdown) and started again on the same folder and ports, so that an outage is a real one. No Docker.
 */
final class KafkaBroker implements AutoCloseable {

    final String port = EdgeAiTestSupport.freePort();
    private final String controllerPort = EdgeAiTestSupport.freePort();
    private final Path folder;
    private final Path config;
    private Process process;

    KafkaBroker(Path folder) throws IOException {
        this.folder = folder;
        Files.createDirectories(folder);
        this.config = folder.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + folder.toAbsolutePath().resolve("logs"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "message.max.bytes=16777216",
                "") );
        Process format = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()).redirectOutput(folder.resolve("format.out").toFile()).start();
        try {
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IOException("kafka-storage format failed: " + Files.readString(folder.resolve("format.out")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The bootstrap servers of this broker. */
    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    private ProcessBuilder java(String main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
    }

    /** Starts the broker and waits until it answers as a cluster. */
    void start() throws Exception {
        process = java("kafka.Kafka", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("kafka.out").toFile())).start();
        try (Admin admin = Admin.create(clientSettings())) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("Kafka exited: " + Files.readString(folder.resolve("kafka.out")));
                }
                try {
                    return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    return false;
                }
            });
        }
    }

    /** SIGTERM, as a service manager stops Kafka (a controlled shutdown); waits until it is gone. */
    void stop() throws Exception {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    /** Creates topics: name to {partitions, compacted (1) or not (0)}. */
    void createTopics(Map<String, int[]> topics) throws Exception {
        List<NewTopic> all = new ArrayList<>();
        topics.forEach((name, how) -> all.add(new NewTopic(name, how[0], (short) 1).configs(how[1] == 1
                ? Map.of("cleanup.policy", "compact") : Map.of())));
        try (Admin admin = Admin.create(clientSettings())) {
            admin.createTopics(all).all().get(60, TimeUnit.SECONDS);
        }
    }

    Properties clientSettings() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "10000");
        return p;
    }

    KafkaProducer<byte[], byte[]> producer() {
        Properties p = clientSettings();
        p.put("acks", "all");
        p.put("max.request.size", "16777216");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer of its own group, from the topics' start. */
    KafkaConsumer<byte[], byte[]> consumer(Collection<String> topics) {
        Properties p = clientSettings();
        p.put("group.id", "test-" + Uuid.randomUuid());
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(topics);
        return consumer;
    }

    /** Everything a consumer gets within one poll. */
    static List<ConsumerRecord<byte[], byte[]>> poll(KafkaConsumer<byte[], byte[]> consumer) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        consumer.poll(Duration.ofMillis(500)).forEach(got::add);
        return got;
    }

    String output() throws IOException {
        File out = folder.resolve("kafka.out").toFile();
        return out.exists() ? Files.readString(out.toPath()) : "";
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
