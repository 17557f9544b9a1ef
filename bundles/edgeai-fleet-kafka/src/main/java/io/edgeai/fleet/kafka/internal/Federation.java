package io.edgeai.fleet.kafka.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.training.FederatedTraining.LocalUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The federated protocol's messages (JSON) and a federation's definition. A round announcement (rounds topic, keyed
 * by task): {@code {"task", "round", "rounds", "spec", "mu", "deadline" (epoch ms), "global" (base64 parameters or
 * null), "aggregator", "previous": {round figures}}}; the last one of a task says {@code "done": true} with the model
 * it published. An update (updates topic, keyed {@code <task>/<round>/<gatewayId>}): {@code {"task", "round",
 * "gatewayId", "samples", "inputs", "outputs", "loss", "inputNames", "parameters" (base64)}}: parameters and counts,
 * never a row.
 */
final class Federation {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A federation as its file defines it.
     *
     * @param participants updates that close a round at once; {@code quorum} the fewest a round closes with at its
     *     deadline ({@code roundSeconds} after its announcement; fewer: it waits another roundSeconds)
     * @param stage what the gateways do with the final model (rollout, active or staged)
     */
    record Definition(String task, String model, int rounds, int participants, int quorum, int roundSeconds,
            double mu, String stage, Map<String, Object> spec) {

        static Definition read(Path file) throws IOException {
            JsonNode json = JSON.readTree(file.toFile());
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException(file + " is not a JSON object");
            }
            String task = text(json, "task");
            if (!task.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                throw new IllegalArgumentException("task: '" + task + "' is not a name (letters, digits, _ . -)");
            }
            JsonNode spec = json.get("spec");
            if (spec == null || !spec.isObject()) {
                throw new IllegalArgumentException("spec: the training spec each participant runs (a JSON object)");
            }
            int participants = json.path("participants").asInt(0);
            int quorum = json.path("quorum").asInt(participants);
            Definition d = new Definition(task, json.path("model").asText(task), json.path("rounds").asInt(10),
                    participants, quorum, json.path("roundSeconds").asInt(60), json.path("mu").asDouble(0),
                    json.path("stage").asText("rollout"), JSON.convertValue(spec,
                            new TypeReference<Map<String, Object>>() { }));
            if (d.rounds < 1 || d.participants < 1 || d.quorum < 1 || d.quorum > d.participants
                    || d.roundSeconds < 1 || !(d.mu >= 0)) {
                throw new IllegalArgumentException("rounds, participants (>= 1), quorum (1..participants),"
                        + " roundSeconds (>= 1) and mu (>= 0) are required; got " + d);
            }
            return d;
        }

        private static String text(JsonNode json, String field) {
            JsonNode node = json.get(field);
            if (node == null || !node.isTextual()) {
                throw new IllegalArgumentException(field + ": required (text)");
            }
            return node.asText();
        }
    }

    private Federation() {
    }

    static byte[] round(Definition d, int round, byte[] global, long deadline, String aggregator,
            ObjectNode previous) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("task", d.task()).put("round", round).put("rounds", d.rounds());
        json.set("spec", JSON.valueToTree(d.spec()));
        json.put("mu", d.mu()).put("deadline", deadline).put("aggregator", aggregator);
        if (global == null) {
            json.putNull("global");
        } else {
            json.put("global", Base64.getEncoder().encodeToString(global));
        }
        if (previous != null) {
            json.set("previous", previous);
        }
        return JSON.writeValueAsBytes(json);
    }

    static byte[] done(Definition d, String aggregator, ObjectNode figures) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("task", d.task()).put("round", d.rounds()).put("rounds", d.rounds()).put("done", true)
                .put("model", d.model()).put("aggregator", aggregator);
        json.set("previous", figures);
        return JSON.writeValueAsBytes(json);
    }

    static byte[] update(String task, int round, String gatewayId, LocalUpdate update) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        json.put("task", task).put("round", round).put("gatewayId", gatewayId).put("samples", update.samples())
                .put("inputs", update.inputs()).put("outputs", update.outputs()).put("loss", update.loss());
        ArrayNode names = json.putArray("inputNames");
        update.inputNames().forEach(names::add);
        json.put("parameters", Base64.getEncoder().encodeToString(update.parameters()));
        return JSON.writeValueAsBytes(json);
    }

    static LocalUpdate update(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.path("inputNames").forEach(n -> names.add(n.asText()));
        return new LocalUpdate(Base64.getDecoder().decode(json.path("parameters").asText()),
                json.path("samples").asLong(), json.path("inputs").asInt(), json.path("outputs").asInt(),
                json.path("loss").asDouble(), names);
    }

    static byte[] global(JsonNode round) {
        JsonNode global = round.get("global");
        return global == null || global.isNull() ? null : Base64.getDecoder().decode(global.asText());
    }

    static Map<String, Object> spec(JsonNode round) {
        return JSON.convertValue(round.get("spec"), new TypeReference<Map<String, Object>>() { });
    }

    static void write(Path file, Object value) throws IOException {
        Files.createDirectories(file.getParent());
        Path next = file.resolveSibling(file.getFileName() + ".new");
        JSON.writerWithDefaultPrettyPrinter().writeValue(next.toFile(), value);
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
