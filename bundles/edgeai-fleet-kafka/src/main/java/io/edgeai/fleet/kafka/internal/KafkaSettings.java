package io.edgeai.fleet.kafka.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka clients' settings from the fleet's configuration: the guarantees (an idempotent producer waiting for every
 * in-sync replica, no automatic offset commits) are fixed; the cluster, security, compression and timeouts are the
 * operator's; anything else of Kafka's may be given as {@code kafka.<setting>} (e.g. {@code kafka.ssl.endpoint
 * .identification.algorithm}), except the settings the guarantees rest on.
 */
final class KafkaSettings {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSettings.class);
    static final String PASS_THROUGH = "kafka.";
    /** What the fleet link's guarantees rest on: never taken from {@code kafka.*}. */
    private static final Set<String> FIXED = Set.of("acks", "enable.idempotence", "key.serializer",
            "value.serializer", "key.deserializer", "value.deserializer", "enable.auto.commit", "group.id",
            "max.in.flight.requests.per.connection", "isolation.level");
    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "lz4");

    private KafkaSettings() {
    }

    /** Connection and security settings shared by the producers and the consumer; refuses what cannot work. */
    static Properties common(FleetConfig config, String clientId, Map<String, ?> raw) {
        String servers = config.bootstrapServers().trim();
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("bootstrapServers is empty");
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", servers);
        p.put("client.id", clientId);
        String protocol = config.securityProtocol().trim().toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("securityProtocol must be one of " + PROTOCOLS + ", not '"
                    + config.securityProtocol() + "'");
        }
        p.put("security.protocol", protocol);
        if (protocol.startsWith("SASL")) {
            String mechanism = config.saslMechanism().trim().toUpperCase(Locale.ROOT);
            if (!MECHANISMS.contains(mechanism)) {
                throw new IllegalArgumentException("saslMechanism must be one of " + MECHANISMS + ", not '"
                        + config.saslMechanism() + "'");
            }
            if (config.username().isBlank()) {
                throw new IllegalArgumentException(protocol + " needs a username (and password)");
            }
            String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put("sasl.mechanism", mechanism);
            p.put("sasl.jaas.config", module + " required username=\"" + quoted(config.username())
                    + "\" password=\"" + quoted(config.password()) + "\";");
        }
        if (!config.truststore().isBlank()) {
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", config.truststore().trim());
        }
        int timeoutMs = Math.max(1, config.timeoutSeconds()) * 1000;
        p.put("request.timeout.ms", Integer.toString(timeoutMs));
        p.put("default.api.timeout.ms", Integer.toString(timeoutMs));
        p.put("reconnect.backoff.max.ms", "2000");
        raw.forEach((key, value) -> {
            if (key.startsWith(PASS_THROUGH) && value != null) {
                String setting = key.substring(PASS_THROUGH.length());
                if (FIXED.contains(setting)) {
                    LOG.warn("Fleet link: {} ignored: the link's guarantees rest on {}", key, setting);
                } else {
                    p.put(setting, value.toString());
                }
            }
        });
        return p;
    }

    /**
     * An idempotent producer's settings: every in-sync replica has a message before it counts as sent, retries never
     * reorder or repeat a message within a partition, and a message is retried until the cluster takes it (the
     * forwarder waits; an expiry would let a device's later messages overtake it).
     */
    static Properties producer(FleetConfig config, Properties common) {
        Properties p = new Properties();
        p.putAll(common);
        String compression = config.compression().trim().toLowerCase(Locale.ROOT);
        if (!COMPRESSIONS.contains(compression)) {
            throw new IllegalArgumentException("compression must be one of " + COMPRESSIONS + ", not '"
                    + config.compression() + "'");
        }
        int timeoutMs = Integer.parseInt(common.getProperty("request.timeout.ms"));
        int linger = Math.max(0, config.lingerMs());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("compression.type", compression);
        p.putIfAbsent("linger.ms", Integer.toString(linger));
        p.putIfAbsent("max.block.ms", Integer.toString(timeoutMs));
        p.putIfAbsent("delivery.timeout.ms", Integer.toString(Integer.MAX_VALUE));
        return p;
    }

    /** A consumer that commits only what the gateway has acted on, and reads a topic from its start the first time. */
    static Properties consumer(Properties common, String groupId) {
        Properties p = new Properties();
        p.putAll(common);
        p.put("group.id", groupId);
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.putIfAbsent("auto.offset.reset", "earliest");
        p.putIfAbsent("max.poll.records", "16");
        return p;
    }

    private static String quoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * Runs with the Kafka client's class loader as the thread's context class loader: the client loads classes
     * named in its settings (serializers, login modules) through it, and in OSGi a thread's context loader is
     * whatever its creator left (KAFKA-21107).
     */
    static <T> T withClientLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaProducer.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
