package io.edgeai.fleet.kafka.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.Test;

/**
 * The Kafka clients' settings from the fleet's configuration: the guarantees fixed, security as configured (SASL's
 * login module and quoting), mistakes refused with the setting's name, and kafka.* passed on except what the
 * guarantees rest on. Kafka's own ProducerConfig checks the result.
 */
public class KafkaSettingsTest {

    /** A configuration with these values over the defaults. */
    private static FleetConfig config(Map<String, Object> values) {
        return (FleetConfig) java.lang.reflect.Proxy.newProxyInstance(FleetConfig.class.getClassLoader(),
                new Class<?>[] {FleetConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return FleetConfig.class;
                    }
                    return values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    @Test
    public void theProducerIsIdempotentAndWaitsForEveryReplica() {
        FleetConfig c = config(Map.of("bootstrapServers", "k1:9092,k2:9092"));
        Properties p = KafkaSettings.producer(c, KafkaSettings.common(c, "edgeai-gw", Map.of()));
        assertEquals("all", p.getProperty("acks"));
        assertEquals("true", p.getProperty("enable.idempotence"));
        assertEquals("lz4", p.getProperty("compression.type"));
        assertEquals(Integer.toString(Integer.MAX_VALUE), p.getProperty("delivery.timeout.ms"));
        p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        new ProducerConfig(p); // Kafka's own checks of the whole set
    }

    @Test
    public void saslSettingsMakeTheLoginModuleWithTheSecretQuoted() {
        FleetConfig c = config(Map.of("bootstrapServers", "k:9093", "securityProtocol", "sasl_ssl",
                "saslMechanism", "SCRAM-SHA-512", "username", "gw-7", "password", "pa\"ss\\word",
                "truststore", "etc/edgeai/kafka-ca.pem"));
        Properties p = KafkaSettings.common(c, "edgeai-gw-7", Map.of());
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gw-7\""
                + " password=\"pa\\\"ss\\\\word\";", p.getProperty("sasl.jaas.config"));
        assertEquals("PEM", p.getProperty("ssl.truststore.type"));
        assertEquals("etc/edgeai/kafka-ca.pem", p.getProperty("ssl.truststore.location"));
    }

    @Test
    public void mistakesAreRefusedNamingTheSetting() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaSettings.common(config(Map.of()), "x",
                Map.of())).getMessage().contains("bootstrapServers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaSettings.common(config(Map.of(
                "bootstrapServers", "k:1", "securityProtocol", "TLS")), "x", Map.of())).getMessage()
                .contains("securityProtocol"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaSettings.common(config(Map.of(
                "bootstrapServers", "k:1", "securityProtocol", "SASL_PLAINTEXT")), "x", Map.of())).getMessage()
                .contains("username"));
        FleetConfig zstd = config(Map.of("bootstrapServers", "k:1", "compression", "zstd"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaSettings.producer(zstd,
                KafkaSettings.common(zstd, "x", Map.of()))).getMessage().contains("compression"));
    }

    @Test
    public void otherKafkaSettingsPassExceptWhatTheGuaranteesRestOn() {
        FleetConfig c = config(Map.of("bootstrapServers", "k:1"));
        Properties p = KafkaSettings.producer(c, KafkaSettings.common(c, "x", Map.of(
                "kafka.ssl.endpoint.identification.algorithm", "", "kafka.acks", "0",
                "kafka.enable.idempotence", "false", "kafka.linger.ms", "50", "unrelated", "1")));
        assertEquals("", p.getProperty("ssl.endpoint.identification.algorithm"));
        assertEquals("50", p.getProperty("linger.ms"));
        assertEquals("all", p.getProperty("acks"));
        assertEquals("true", p.getProperty("enable.idempotence"));
        assertFalse(p.containsKey("unrelated"));
        Properties consumer = KafkaSettings.consumer(KafkaSettings.common(c, "x", Map.of("kafka.group.id", "evil",
                "kafka.enable.auto.commit", "true")), "edgeai-gw");
        assertEquals("edgeai-gw", consumer.getProperty("group.id"));
        assertEquals("false", consumer.getProperty("enable.auto.commit"));
    }
}
