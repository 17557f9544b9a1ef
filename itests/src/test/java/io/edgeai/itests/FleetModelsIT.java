package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.Test;

/**
 * Models down the fleet's models topic (compacted, keyed by model) to three gateways at once, each started as an
 * operator starts it with feature edgeai-fleet-kafka and the fleet's public key in etc/edgeai/trust: an unsigned
 * archive is refused by all three, with the reason in their status; a signed one is served by all three; a second
 * version starts a staged rollout on each.
 */
public class FleetModelsIT extends FleetTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void aModelPublishedOnTheTopicIsServedByThreeGateways() throws Exception {
        Path root = startKafka(Map.of("edgeai.gateways", new int[] {1, 1}, "edgeai.models", new int[] {1, 1}));
        Path keys = Files.createDirectories(root.resolve("keys"));
        GatewayProcess.run("openssl", "genpkey", "-algorithm", "ed25519", "-out", keys.resolve("fleet.key").toString());
        for (int i = 1; i <= 3; i++) {
            GatewayProcess gateway = fleetGateway("gw-" + i);
            GatewayProcess.run("openssl", "pkey", "-in", keys.resolve("fleet.key").toString(), "-pubout", "-out",
                    gateway.home.resolve("etc/edgeai/trust/fleet.pem").toString());
            gateway.set(FLEET_CFG, "send", "status");
            gateway.start(false);
        }
        for (GatewayProcess gateway : gateways) {
            gateway.awaitConnectors();
            GatewayProcess.Script install = gateway.install("edgeai-fleet-kafka");
            assertEquals(install.output(), 0, install.exit());
        }

        Path unsigned = ModelsApi.archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), "1.5");
        Path signed = sign(unsigned, root.resolve("adder-1.zip"), keys);
        Path second = sign(ModelsApi.archive(TorchScript.SUM_PLUS, TorchScript.modelJson(4, 1), "2.5"),
                root.resolve("adder-2.zip"), keys);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer();
                KafkaConsumer<byte[], byte[]> status = kafka.consumer(List.of("edgeai.gateways"))) {
            Map<String, JsonNode> latest = new HashMap<>();
            publish(producer, "adder", unsigned, null);
            awaitStatus(status, latest, s -> s.path("fleetModels").path("adder").path("outcome").asText()
                    .startsWith("refused: unsigned"));

            long started = System.nanoTime();
            publish(producer, "adder", signed, null);
            for (GatewayProcess gateway : gateways) {
                String api = ModelsApi.base(gateway.httpPort);
                await().atMost(Duration.ofSeconds(60)).until(() -> ModelsApi.curl(api + "/adder")[1]
                        .contains("\"active\":1"));
                String[] answer = ModelsApi.curl(api + "/adder/predict", "-H", "Content-Type: application/json",
                        "--data-binary", "{\"inputs\": [[1, 2, 3, 4]]}");
                assertEquals(answer[1], "200", answer[0]);
                assertEquals(answer[1], 11.5, JSON.readTree(answer[1]).get("outputs").get(0).get(0).asDouble(),
                        1e-6);
            }
            System.out.printf("fleet models: signed archive (%d bytes) served by 3 gateways %d ms after it was"
                    + " published%n", Files.size(signed), (System.nanoTime() - started) / 1_000_000);

            publish(producer, "adder", second, null); // the default: a staged rollout against version 1
            awaitStatus(status, latest, s -> s.path("models").path("adder").path("rollout").path("version")
                    .asInt() == 2 && s.path("fleetModels").path("adder").path("outcome").asText()
                    .equals("rollout started"));
        }
        for (GatewayProcess gateway : gateways) {
            assertEquals("errors in karaf.log of " + gateway.home, "", gateway.errors());
        }
    }

    private Path sign(Path archive, Path out, Path keys) throws Exception {
        GatewayProcess.Script sign = gateways.get(0).program(Map.of(), "bin/edgeai", "edgeai:model-sign", "--out",
                out.toString(), archive.toString(), keys.resolve("fleet.key").toString());
        assertEquals(sign.output(), 0, sign.exit());
        return out;
    }

    private static void publish(KafkaProducer<byte[], byte[]> producer, String model, Path archive, String stage)
            throws Exception {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("edgeai.models",
                model.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(archive));
        if (stage != null) {
            record.headers().add("edgeai-stage", stage.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get();
    }

    /** Waits until the newest status of every gateway satisfies the condition. */
    private static void awaitStatus(KafkaConsumer<byte[], byte[]> status, Map<String, JsonNode> latest,
            java.util.function.Predicate<JsonNode> condition) {
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : KafkaBroker.poll(status)) {
                    latest.put(new String(record.key(), StandardCharsets.UTF_8), JSON.readTree(record.value()));
                }
                return latest.size() == 3 && latest.values().stream().allMatch(condition);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the gateways' status: " + latest, e);
        }
    }
}
