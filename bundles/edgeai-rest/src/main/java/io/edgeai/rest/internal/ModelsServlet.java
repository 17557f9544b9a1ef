package io.edgeai.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.ServingStats;
import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.DeviceFleet;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.model.Rollout;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ConnectorSupport;
import io.edgeai.http.Bodies;
import io.edgeai.http.Problem;
import io.edgeai.connector.support.PredictRequest;
import io.edgeai.connector.support.ResultJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models as a service over HTTP (INTERFACE.md): {@code GET /api/v1/models}, {@code GET /api/v1/models/{name}},
 * {@code POST /api/v1/models/{name}/predict}, {@code POST /api/v1/models/{name}/versions} (the archive as the body),
 * {@code POST /api/v1/models/{name}/versions/{v}/promote}, {@code POST /api/v1/models/{name}/rollback},
 * {@code DELETE /api/v1/models/{name}/versions/{v}} (not the active one), staged rollouts
 * ({@code POST /api/v1/models/{name}/versions/{v}/rollout}, {@code GET} and {@code DELETE
 * /api/v1/models/{name}/rollout}) and the fleet view ({@code GET /api/v1/models/{name}/devices}). Errors are
 * problem+json: unknown model 404, bad input or a refused archive 400, a full queue 503 with Retry-After, counted like
 * the connector's. Credentials are checked by the gateway's HTTP context.
 */
@Component(service = Servlet.class, immediate = true, configurationPid = "io.edgeai.connector.http",
        property = {"osgi.http.whiteboard.servlet.pattern=/api/v1/models",
            "osgi.http.whiteboard.servlet.pattern=/api/v1/models/*",
            "osgi.http.whiteboard.servlet.name=edgeai-models-http",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgeai)"})
public class ModelsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelsServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/api/v1/models";
    /** Largest archive read from a request; the registry applies its own (configurable) limit below it. */
    private static final long MAX_UPLOAD = 1L << 30;

    private final transient ConnectorSupport connector;
    private final transient ConnectorCounters counters;
    private final int maxPayloadBytes;
    private transient volatile ModelRegistry registry;
    private transient volatile InferenceService inference;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Recorder recorder;

    @Activate
    public ModelsServlet(BundleContext context, RestConfig config) {
        this.connector = new ConnectorSupport("http-models", () -> recorder).endpoint(() -> PREFIX)
                .healthFrom(c -> registry == null || inference == null
                ? c.health(Status.DEGRADED, "registry or inference not running")
                : c.health(Status.UP, "serving " + PREFIX));
        this.counters = connector.counters();
        this.maxPayloadBytes = config.maxPayloadBytes();
        connector.publish(context); // once it knows where it listens and how it is
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRegistry(ModelRegistry service) {
        registry = service;
    }

    void unbindRegistry(ModelRegistry service) {
        if (registry == service) {
            registry = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindInference(InferenceService service) {
        inference = service;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile DeviceFleet fleet;

    void unbindInference(InferenceService service) {
        if (inference == service) {
            inference = null;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        counters.received();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String[] parts = path.length() <= PREFIX.length() ? new String[0]
                : path.substring(PREFIX.length() + 1).split("/", -1);
        String method = request.getMethod();
        try {
            if (parts.length == 0 && "GET".equals(method)) {
                list(response);
            } else if (parts.length == 1 && "GET".equals(method)) {
                show(response, parts[0]);
            } else if (parts.length == 2 && "archive".equals(parts[1]) && "GET".equals(method)) {
                archive(request, response, parts[0]);
            } else if (parts.length == 2 && "predict".equals(parts[1]) && "POST".equals(method)) {
                predict(request, response, parts[0]);
            } else if (parts.length == 2 && "versions".equals(parts[1]) && "POST".equals(method)) {
                upload(request, response, parts[0]);
            } else if (parts.length == 4 && "versions".equals(parts[1]) && "promote".equals(parts[3])
                    && "POST".equals(method)) {
                promote(response, parts[0], parts[2]);
            } else if (parts.length == 2 && "rollback".equals(parts[1]) && "POST".equals(method)) {
                rollback(response, parts[0]);
            } else if (parts.length == 4 && "versions".equals(parts[1]) && "rollout".equals(parts[3])
                    && "POST".equals(method)) {
                startRollout(request, response, parts[0], parts[2]);
            } else if (parts.length == 2 && "devices".equals(parts[1]) && "GET".equals(method)) {
                devices(response, parts[0]);
            } else if (parts.length == 2 && "rollout".equals(parts[1]) && "GET".equals(method)) {
                showRollout(response, parts[0]);
            } else if (parts.length == 2 && "rollout".equals(parts[1]) && "DELETE".equals(method)) {
                stopRollout(response, parts[0]);
            } else if (parts.length == 3 && "versions".equals(parts[1]) && "DELETE".equals(method)) {
                delete(response, parts[0], parts[2]);
            } else {
                refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, method + " " + path + " is not served: GET "
                        + PREFIX + "[/{name}[/archive|/rollout|/devices]], POST " + PREFIX + "/{name}/predict, /versions,"
                        + " /versions/{v}/promote, /versions/{v}/rollout, /rollback; DELETE " + PREFIX
                        + "/{name}/versions/{v}, /{name}/rollout");
            }
        } catch (InvalidModelException e) {
            refuse(response, e.reason(), e.reason().httpStatus(), e.getMessage());
        }
    }

    private ModelRegistry registry(HttpServletResponse response) throws IOException {
        ModelRegistry current = registry;
        if (current == null) {
            unavailable(response, "the model registry is not running (feature edgeai-inference)");
        }
        return current;
    }

    private void list(HttpServletResponse response) throws IOException {
        ModelRegistry models = registry(response);
        if (models == null) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("models");
        for (String name : models.models()) {
            ObjectNode model = list.addObject();
            model.put("name", name);
            active(model, models.active(name));
            model.put("versions", models.versions(name).size());
            models.rollout(name).filter(r -> r.state().running()).ifPresent(r -> {
                ObjectNode rolling = model.putObject("rollout");
                rolling.put("version", r.version());
                rolling.put("state", r.state().name());
            });
            serving(model, name);
        }
        ok(response, 200, body);
    }

    private void show(HttpServletResponse response, String name) throws IOException {
        ModelRegistry models = registry(response);
        if (models == null) {
            return;
        }
        var versions = models.versions(name);
        if (versions.isEmpty()) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, "no model '" + name + "'");
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        active(body, models.active(name));
        Optional<Rollout> rollout = models.rollout(name);
        ArrayNode list = body.putArray("versions");
        versions.forEach(v -> {
            ObjectNode node = version(v);
            rollout.filter(r -> r.state().running() && r.version() == v.version())
                    .ifPresent(r -> node.put("stage", r.state().name()));
            list.add(node);
        });
        rollout.ifPresent(r -> body.set("rollout", JSON.valueToTree(r.asMap())));
        body.set("rolloutPolicy", JSON.valueToTree(models.rolloutPolicy(name).asMap()));
        DeviceFleet reports = fleet;
        if (reports != null) {
            body.set("devices", byVersion(reports.versions(name)));
        }
        serving(body, name);
        ok(response, 200, body);
    }

    /** The active version's archive, or {@code ?version=n}'s; 304 when the client's ETag is still the one. */
    private void archive(HttpServletRequest request, HttpServletResponse response, String name) throws IOException {
        ModelRegistry models = registry(response);
        if (models == null) {
            return;
        }
        String asked = request.getParameter("version");
        Optional<ModelVersion> version;
        if (asked == null) {
            version = models.active(name);
        } else if (!asked.matches("[0-9]{1,9}")) {
            refuse(response, RejectReason.MALFORMED, 400, "version '" + asked + "' is not a version number");
            return;
        } else {
            version = models.versions(name).stream().filter(v -> v.version() == Integer.parseInt(asked)).findFirst();
        }
        Optional<Path> folder = version.flatMap(v -> models.directory(name, v.version()));
        if (folder.isEmpty()) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, asked != null ? "model '" + name + "' has no version "
                    + asked : models.versions(name).isEmpty() ? "no model '" + name + "'" : "model '" + name
                    + "' has no active version");
            return;
        }
        counters.accepted();
        ArchiveDownload.send(request, response, version.get(), folder.get());
    }

    private void serving(ObjectNode node, String name) {
        InferenceService service = inference;
        Optional<ServingStats> stats = service == null ? Optional.empty() : service.serving(name);
        stats.ifPresent(s -> node.set("serving", JSON.valueToTree(s)));
    }

    static ObjectNode version(ModelVersion v) {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", v.version());
        node.put("state", v.state().name());
        node.put("created", v.created().toString());
        node.put("sha256", v.sha256());
        node.setAll((ObjectNode) JSON.valueToTree(v.spec().toJson()));
        node.set("metrics", JSON.valueToTree(v.metrics()));
        ObjectNode lineage = node.putObject("lineage");
        if (v.lineage().parentVersion() != null) {
            lineage.put("parentVersion", v.lineage().parentVersion());
        }
        if (v.lineage().jobId() != null) {
            lineage.put("jobId", v.lineage().jobId());
        }
        if (v.lineage().dataFrom() != null) {
            lineage.put("dataFrom", v.lineage().dataFrom().toString());
        }
        if (v.lineage().dataTo() != null) {
            lineage.put("dataTo", v.lineage().dataTo().toString());
        }
        if (v.lineage().signer() != null) {
            lineage.put("signer", v.lineage().signer());
        }
        return node;
    }

    private void predict(HttpServletRequest request, HttpServletResponse response, String name) throws IOException {
        InferenceService service = inference;
        if (service == null) {
            unavailable(response, "inference is not running (feature edgeai-inference)");
            return;
        }
        byte[] body = body(request, response);
        if (body == null) {
            return;
        }
        PredictRequest inputs;
        try {
            inputs = PredictRequest.parse(body).withExplainParameter(request.getParameter("explain"));
        } catch (IllegalArgumentException e) {
            refuse(response, RejectReason.MALFORMED, 400, e.getMessage());
            return;
        }
        try {
            ObjectNode answer = ResultJson.prediction(inputs.ask(service, name).toCompletableFuture().get(30,
                    TimeUnit.SECONDS));
            counters.accepted();
            ok(response, 200, answer);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InferenceException refused) {
                RejectReason reason = refused.rejectReason(RejectReason.MALFORMED);
                if (reason == RejectReason.OVERLOADED) {
                    Problem.busy(counters, response, refused.retryAfterSeconds(), "overloaded", refused.getMessage());
                } else if (reason != null) {
                    refuse(response, reason, reason.httpStatus(), refused.getMessage());
                } else {
                    failed(response, refused.getMessage());
                }
            } else {
                failed(response, String.valueOf(e.getCause()));
            }
        } catch (TimeoutException e) {
            failed(response, "no answer within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(response, "interrupted");
        }
    }

    private void upload(HttpServletRequest request, HttpServletResponse response, String name)
            throws IOException, InvalidModelException {
        ModelRegistry models = registry(response);
        if (models == null) {
            return;
        }
        Path archive = Files.createTempFile("edgeai-upload", ".zip");
        try {
            long size;
            try (OutputStream out = Files.newOutputStream(archive)) {
                size = Bodies.copy(request, out, MAX_UPLOAD);
            } catch (Bodies.TooSlow slow) {
                Bodies.refuseSlow(counters, response, slow);
                return;
            }
            if (size == 0) {
                refuse(response, RejectReason.EMPTY, 400, "send the model archive (a zip) as the request body");
                return;
            }
            if (size < 0) {
                refuse(response, RejectReason.TOO_LARGE, 413, "archive larger than " + MAX_UPLOAD + " bytes");
                return;
            }
            ModelVersion registered = models.register(name, archive, null, ModelRegistry.Source.UPLOAD);
            counters.accepted();
            response.setHeader("Location", PREFIX + "/" + name + "/versions/" + registered.version());
            ok(response, 201, version(registered));
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    private void promote(HttpServletResponse response, String name, String version)
            throws IOException, InvalidModelException {
        ModelRegistry models = registry(response);
        Integer number = models == null ? null : versionOf(response, models, name, version);
        if (number == null) {
            return;
        }
        ModelVersion active = models.promote(name, number);
        counters.accepted();
        ok(response, 200, version(active));
    }

    private void rollback(HttpServletResponse response, String name) throws IOException, InvalidModelException {
        ModelRegistry models = registry(response);
        if (models == null) {
            return;
        }
        if (models.versions(name).isEmpty()) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, "no model '" + name + "'");
            return;
        }
        ModelVersion active = models.rollback(name);
        counters.accepted();
        ok(response, 200, version(active));
    }

    /**
     * Starts a staged rollout of a version: 202 with the rollout (and Location of its state). The body, when there is
     * one, is a JSON object of policy settings for this rollout only ({@code {"canaryShare": 0.2}}).
     */
    private void startRollout(HttpServletRequest request, HttpServletResponse response, String name, String version)
            throws IOException, InvalidModelException {
        ModelRegistry models = registry(response);
        Integer number = models == null ? null : versionOf(response, models, name, version);
        if (number == null) {
            return;
        }
        byte[] body = body(request, response);
        if (body == null) {
            return;
        }
        java.util.Map<String, Object> overrides = new java.util.LinkedHashMap<>();
        if (body.length > 0 && !new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            com.fasterxml.jackson.databind.JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                refuse(response, RejectReason.MALFORMED, 400, "the body is not JSON: " + e.getOriginalMessage());
                return;
            }
            if (json == null || !json.isObject()) {
                refuse(response, RejectReason.MALFORMED, 400, "the body is a JSON object of rollout settings, e.g."
                        + " {\"canaryShare\": 0.2} (settings: " + String.join(", ", models.rolloutPolicy(name).asMap()
                        .keySet()) + ")");
                return;
            }
            for (var field : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>)
                    json::fields) {
                if (!field.getValue().isNumber()) {
                    refuse(response, RejectReason.MALFORMED, 400, "rollout setting " + field.getKey()
                            + " must be a number");
                    return;
                }
                overrides.put(field.getKey(), field.getValue().numberValue());
            }
        }
        Rollout rollout = models.startRollout(name, number, overrides);
        counters.accepted();
        response.setHeader("Location", PREFIX + "/" + name + "/rollout");
        ok(response, 202, JSON.valueToTree(rollout.asMap()));
    }

    /** The active version's number, or null. */
    private static void active(ObjectNode node, Optional<ModelVersion> active) {
        if (active.isPresent()) {
            node.put("active", active.get().version());
        } else {
            node.putNull("active");
        }
    }

    /** How many devices report running each version: {@code {"3": 12, "2": 1}}. */
    private static ObjectNode byVersion(java.util.Map<Integer, Long> versions) {
        ObjectNode counts = JSON.createObjectNode();
        versions.forEach((version, count) -> counts.put(String.valueOf(version), count));
        return counts;
    }

    /**
     * The fleet view of a model: which devices run which version, as they report it in their telemetry
     * ({@code "models": {"pump": 3}}), beside the gateway's active version and rollout.
     */
    private void devices(HttpServletResponse response, String name) throws IOException {
        ModelRegistry models = registry(response);
        if (models == null) {
            return;
        }
        DeviceFleet reports = fleet;
        if (reports == null) {
            unavailable(response, "the fleet view is not running (feature edgeai-inference)");
            return;
        }
        java.util.List<DeviceFleet.Report> devices = reports.devices(name);
        if (models.versions(name).isEmpty() && devices.isEmpty()) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, "no model '" + name + "'");
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("model", name);
        active(body, models.active(name));
        models.rollout(name).filter(r -> r.state().running()).ifPresent(r -> body.putObject("rollout")
                .put("version", r.version()).put("state", r.state().name()));
        body.set("versions", byVersion(reports.versions(name)));
        ArrayNode list = body.putArray("devices");
        for (DeviceFleet.Report report : devices) {
            list.addObject().put("deviceId", report.deviceId()).put("version", report.version())
                    .put("reported", report.reported().toString());
        }
        ok(response, 200, body);
    }

    private void showRollout(HttpServletResponse response, String name) throws IOException {
        ModelRegistry models = registry(response);
        if (models == null) {
            return;
        }
        Optional<Rollout> rollout = models.versions(name).isEmpty() ? Optional.empty() : models.rollout(name);
        if (rollout.isEmpty()) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, models.versions(name).isEmpty() ? "no model '"
                    + name + "'" : "model '" + name + "' has had no rollout: POST " + PREFIX + "/" + name
                    + "/versions/{v}/rollout starts one");
            return;
        }
        ok(response, 200, JSON.valueToTree(rollout.get().asMap()));
    }

    private void stopRollout(HttpServletResponse response, String name) throws IOException, InvalidModelException {
        ModelRegistry models = registry(response);
        if (models == null) {
            return;
        }
        Rollout stopped = models.stopRollout(name, "stopped by an operator (API)");
        counters.accepted();
        ok(response, 200, JSON.valueToTree(stopped.asMap()));
    }

    /** The request's body; null when it was refused (too large, too slow: the answer is sent). */
    private byte[] body(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = Bodies.readOrRefuseSlow(request, maxPayloadBytes, counters, response);
        if (body == null && !response.isCommitted()) {
            refuse(response, RejectReason.TOO_LARGE, 413, "body exceeds " + maxPayloadBytes + " bytes");
        }
        return body;
    }

    /** The version's number; null when it is not a number or there is no such model (the answer says which). */
    private Integer versionOf(HttpServletResponse response, ModelRegistry models, String name, String version)
            throws IOException {
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            refuse(response, RejectReason.MALFORMED, 400, "version '" + version + "' is not a number");
            return null;
        }
        if (models.versions(name).isEmpty()) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, "no model '" + name + "'");
            return null;
        }
        return number;
    }

    /** A version that is not active: 204; the active one: 409; none such: 404. */
    private void delete(HttpServletResponse response, String name, String version) throws IOException {
        ModelRegistry models = registry(response);
        if (models == null) {
            return;
        }
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            refuse(response, RejectReason.MALFORMED, 400, "version '" + version + "' is not a number");
            return;
        }
        if (models.versions(name).stream().noneMatch(v -> v.version() == number)) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, "model '" + name + "' has no version " + number);
            return;
        }
        try {
            models.delete(name, number);
            counters.accepted();
            response.setStatus(204);
        } catch (InvalidModelException e) {
            refuse(response, RejectReason.MALFORMED, 409, e.getMessage());
        }
    }

    private void refuse(HttpServletResponse response, RejectReason reason, int status, String detail)
            throws IOException {
        LOG.debug("Models API refused ({}): {}", status, detail);
        Problem.refuse(counters, response, reason, status, "Request refused", detail);
    }

    private void unavailable(HttpServletResponse response, String detail) throws IOException {
        Problem.busy(counters, response, 5, "unavailable", detail);
    }

    private void failed(HttpServletResponse response, String detail) throws IOException {
        counters.failed();
        LOG.warn("Prediction failed: {}", detail);
        Problem.send(response, 500, "failed", "Prediction failed", detail);
    }

    private static void ok(HttpServletResponse response, int status, JsonNode body) throws IOException {
        Problem.json(response, status, body);
    }

    @Deactivate
    void deactivate() {
        connector.close();
    }
}
