package io.edgeai.fleet.kafka.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.model.Rollout;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.Status;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The gateway's status as the fleet link sends it. */
final class FleetStatus {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FleetStatus() {
    }

    /**
     * The gateway's status: its models (active version, versions, running or last rollout), what it did with the
     * fleet's models, its health by component (the worst of them first) and its outbox.
     */
    static byte[] of(String gatewayId, ModelRegistry registry, Map<String, ModelsChannel.Applied> applied,
            Health link, List<Health> components, long queued, long dropped) throws IOException {
        ObjectNode status = MAPPER.createObjectNode();
        status.put("gatewayId", gatewayId);
        status.put("time", Instant.now().toString());
        Status worst = link.status();
        for (Health health : components) {
            worst = worse(worst, health.status());
        }
        status.put("status", worst.name());
        ObjectNode models = status.putObject("models");
        for (String name : registry.models()) {
            ObjectNode model = models.putObject(name);
            registry.active(name).ifPresentOrElse(v -> model.put("active", v.version()), () -> model.putNull("active"));
            ArrayNode versions = model.putArray("versions");
            for (ModelVersion version : registry.versions(name)) {
                versions.addObject().put("version", version.version()).put("state", version.state().name())
                        .put("sha256", version.sha256());
            }
            registry.rollout(name).ifPresent(r -> rollout(model.putObject("rollout"), r));
        }
        ObjectNode fleet = status.putObject("fleetModels");
        applied.forEach((name, a) -> fleet.putObject(name).put("sha256", a.sha256()).put("version", a.version())
                .put("outcome", a.outcome()));
        ArrayNode health = status.putArray("health");
        health.addObject().put("component", link.component()).put("status", link.status().name())
                .put("reason", link.reason());
        for (Health h : components) {
            health.addObject().put("component", h.component()).put("status", h.status().name())
                    .put("reason", h.reason());
        }
        status.putObject("outbox").put("queued", queued).put("dropped", dropped);
        return MAPPER.writeValueAsBytes(status);
    }

    private static void rollout(ObjectNode node, Rollout rollout) {
        node.put("version", rollout.version()).put("from", rollout.from()).put("state", rollout.state().name());
        if (rollout.reason() != null) {
            node.put("reason", rollout.reason());
        }
    }

    private static Status worse(Status a, Status b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

}
