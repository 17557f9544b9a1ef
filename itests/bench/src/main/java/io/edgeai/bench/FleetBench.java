package io.edgeai.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The fleet benchmark's driver (itests/bench/fleet.sh): {@code topics <bootstrap> <partitions>} creates the results
 * topic; {@code ingest <clients> <seconds> <http base>...} drives every gateway at once over HTTP (Load's generator,
 * a warm-up first) and prints the gateways' combined ingest rate; {@code fleet <bootstrap> <clients> <seconds> <http
 * base>...} does the same while a consumer counts what reaches the results topic, and prints the end-to-end rate (the
 * acknowledged readings over the time until the last of them was in the cluster) and the lag after the load ended.
 */
public final class FleetBench {

    private FleetBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "topics" -> topics(args[1], Integer.parseInt(args[2]));
            case "ingest" -> {
                Drive drive = drive(Integer.parseInt(args[1]), Double.parseDouble(args[2]), List.of(args).subList(3,
                        args.length));
                System.out.printf("ingest %9.0f msg/s  p50 %6.3f ms  p99 %6.3f ms  acknowledged %d  failures %d%n",
                        drive.rate(), drive.p50, drive.p99, drive.acknowledged, drive.failures);
            }
            case "fleet" -> fleet(args[1], Integer.parseInt(args[2]), Double.parseDouble(args[3]),
                    List.of(args).subList(4, args.length));
            default -> throw new IllegalArgumentException("topics, ingest or fleet, not " + args[0]);
        }
        System.exit(0);
    }

    private static void topics(String bootstrap, int partitions) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("edgeai.results", partitions, (short) 1),
                    new NewTopic("edgeai.alerts", 1, (short) 1), new NewTopic("edgeai.gateways", 1, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")), new NewTopic("edgeai.models", 1,
                            (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** What the load did: every acknowledged reading (warm-up included), from when to when. */
    record Drive(long acknowledged, long failures, long startNanos, long endNanos, double p50, double p99) {
        double rate() {
            return acknowledged / ((endNanos - startNanos) / 1e9);
        }
    }

    private static Drive drive(int clients, double seconds, List<String> gateways) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(gateways.size());
        long start = System.nanoTime();
        List<Future<Load.Result[]>> runs = new ArrayList<>();
        for (String gateway : gateways) {
            runs.add(pool.submit(() -> new Load.Result[] {Load.run(Load::http, gateway, clients, 2),
                Load.run(Load::http, gateway, clients, seconds)}));
        }
        long acknowledged = 0;
        long failures = 0;
        double p50 = 0;
        double p99 = 0;
        for (Future<Load.Result[]> run : runs) {
            Load.Result[] r = run.get();
            acknowledged += r[0].count() + r[1].count();
            failures += r[0].failures() + r[1].failures();
            p50 = Math.max(p50, r[1].percentileMillis(0.5));
            p99 = Math.max(p99, r[1].percentileMillis(0.99));
        }
        pool.shutdown();
        return new Drive(acknowledged, failures, start, System.nanoTime(), p50, p99);
    }

    private static void fleet(String bootstrap, int clients, double seconds, List<String> gateways)
            throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "fleet-bench-" + System.nanoTime());
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "5000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("edgeai.results").stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            ExecutorService load = Executors.newSingleThreadExecutor();
            Future<Drive> driving = load.submit(() -> drive(clients, seconds, gateways));
            long delivered = 0;
            long last = 0;
            Drive drive = null;
            long giveUp = Long.MAX_VALUE;
            while (drive == null || delivered < drive.acknowledged && System.nanoTime() < giveUp) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) {
                    delivered += records.count();
                    last = System.nanoTime();
                }
                if (drive == null && driving.isDone()) {
                    drive = driving.get();
                    giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                }
            }
            load.shutdown();
            double endToEnd = delivered / ((last - drive.startNanos) / 1e9);
            System.out.printf("fleet  ingest %9.0f msg/s  p50 %6.3f ms  p99 %6.3f ms  acknowledged %d  failures %d%n",
                    drive.rate(), drive.p50, drive.p99, drive.acknowledged, drive.failures);
            System.out.printf("fleet  end-to-end %9.0f msg/s  delivered %d of %d  lag after the load %.2f s%n",
                    endToEnd, delivered, drive.acknowledged, (last - drive.endNanos) / 1e9);
        }
    }
}
