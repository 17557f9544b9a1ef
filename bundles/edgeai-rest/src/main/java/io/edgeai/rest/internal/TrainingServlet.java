package io.edgeai.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingService;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ConnectorSupport;
import io.edgeai.http.Bodies;
import io.edgeai.http.Problem;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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

/**
 * Training jobs over HTTP: {@code POST /api/v1/training-jobs} with the spec and {@code "model"} answers 202 with the
 * job ({@code Location} names it); {@code GET} lists jobs or shows one (state, epoch, loss history, metrics, version);
 * {@code DELETE /api/v1/training-jobs/{id}} cancels. A spec that cannot run is refused with 400 and the field; a full
 * job queue with 503 and Retry-After. Credentials are checked by the gateway's HTTP context.
 */
@Component(service = Servlet.class, immediate = true, configurationPid = "io.edgeai.connector.http",
        property = {"osgi.http.whiteboard.servlet.pattern=/api/v1/training-jobs",
            "osgi.http.whiteboard.servlet.pattern=/api/v1/training-jobs/*",
            "osgi.http.whiteboard.servlet.name=edgeai-training-http",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgeai)"})
public class TrainingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/api/v1/training-jobs";
    /** A spec may carry its rows inline. */
    private static final int MAX_SPEC = 16 * 1024 * 1024;

    private final transient ConnectorSupport connector;
    private final transient ConnectorCounters counters;
    private transient volatile TrainingService training;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Recorder recorder;

    @Activate
    public TrainingServlet(BundleContext context, RestConfig config) {
        this.connector = new ConnectorSupport("http-training", () -> recorder).endpoint(() -> PREFIX)
                .healthFrom(c -> training == null ? c.health(Status.DEGRADED, "training not running")
                : c.health(Status.UP, "serving " + PREFIX));
        this.counters = connector.counters();
        connector.publish(context); // once it knows where it listens and how it is
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTraining(TrainingService service) {
        training = service;
    }

    void unbindTraining(TrainingService service) {
        if (training == service) {
            training = null;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        counters.received();
        TrainingService service = training;
        if (service == null) {
            Problem.busy(counters, response, 5, "unavailable", "training is not running (feature edgeai-training)");
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String id = path.length() <= PREFIX.length() + 1 ? null : path.substring(PREFIX.length() + 1);
        String method = request.getMethod();
        if (id == null && "POST".equals(method)) {
            submit(request, response, service);
        } else if (id == null && "GET".equals(method)) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode jobs = body.putArray("jobs");
            service.jobs().forEach(j -> jobs.add(json(j, false)));
            counters.accepted();
            ok(response, 200, body);
        } else if (id != null && !id.contains("/") && "GET".equals(method)) {
            Optional<TrainingJob> job = service.job(id);
            if (job.isEmpty()) {
                refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, "no training job '" + id + "'");
                return;
            }
            counters.accepted();
            ok(response, 200, json(job.get(), true));
        } else if (id != null && !id.contains("/") && "DELETE".equals(method)) {
            Optional<TrainingJob> job = service.job(id);
            if (job.isEmpty()) {
                refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, "no training job '" + id + "'");
            } else if (!service.cancel(id)) {
                refuse(response, RejectReason.MALFORMED, 409, "job '" + id + "' has already finished ("
                        + job.get().state().name().toLowerCase() + ")");
            } else {
                counters.accepted();
                ok(response, 202, json(service.job(id).orElse(job.get()), false));
            }
        } else {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, 404, method + " " + path + " is not served: POST/GET "
                    + PREFIX + ", GET/DELETE " + PREFIX + "/{id}");
        }
    }

    private void submit(HttpServletRequest request, HttpServletResponse response, TrainingService service)
            throws IOException {
        byte[] body = Bodies.readOrRefuseSlow(request, MAX_SPEC, counters, response);
        if (response.isCommitted()) {
            return;
        }
        if (body == null) {
            refuse(response, RejectReason.TOO_LARGE, 413, "spec exceeds " + MAX_SPEC + " bytes; train on a CSV file"
                    + " instead of inline rows");
            return;
        }
        Map<String, Object> spec;
        try {
            spec = JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            refuse(response, RejectReason.MALFORMED, 400, "the spec is not a JSON object: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr()));
            return;
        }
        if (spec == null) {
            refuse(response, RejectReason.MALFORMED, 400, "the spec is not a JSON object");
            return;
        }
        Object model = spec.remove("model");
        if (!(model instanceof String name)) {
            refuse(response, RejectReason.MISSING_FIELD, 400, "model: the name of the model to train a version of");
            return;
        }
        try {
            TrainingJob job = service.submit(name, spec);
            counters.accepted();
            response.setHeader("Location", PREFIX + "/" + job.id());
            ok(response, 202, json(job, false));
        } catch (IllegalArgumentException e) {
            refuse(response, RejectReason.MALFORMED, 400, e.getMessage());
        } catch (IllegalStateException e) {
            Problem.busy(counters, response, 30, "overloaded", e.getMessage());
        }
    }

    static ObjectNode json(TrainingJob job, boolean full) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", job.id());
        node.put("model", job.model());
        node.put("state", job.state().name());
        node.put("submitted", job.submitted().toString());
        node.put("started", job.started() == null ? null : job.started().toString());
        node.put("finished", job.finished() == null ? null : job.finished().toString());
        node.put("epoch", job.epoch());
        node.put("epochs", job.epochs());
        if (!job.trainLoss().isEmpty()) {
            node.put("loss", job.trainLoss().get(job.trainLoss().size() - 1));
        }
        if (!job.validationLoss().isEmpty()) {
            node.put("validationLoss", job.validationLoss().get(job.validationLoss().size() - 1));
        }
        if (full) {
            node.set("lossHistory", JSON.valueToTree(job.trainLoss()));
            node.set("validationLossHistory", JSON.valueToTree(job.validationLoss()));
            Map<String, Object> spec = new LinkedHashMap<>(job.spec());
            Object data = spec.get("data");
            if (data instanceof Map<?, ?> source && "inline".equals(source.get("source"))) {
                spec.put("data", Map.of("source", "inline")); // not the rows again
            }
            node.set("spec", JSON.valueToTree(spec));
        }
        node.set("metrics", JSON.valueToTree(job.metrics()));
        node.put("message", job.message());
        if (job.version() > 0) {
            node.put("version", job.version());
            node.put("promoted", job.promoted());
        }
        return node;
    }

    private void refuse(HttpServletResponse response, RejectReason reason, int status, String detail)
            throws IOException {
        Problem.refuse(counters, response, reason, status, "Request refused", detail);
    }

    private static void ok(HttpServletResponse response, int status, JsonNode body) throws IOException {
        Problem.json(response, status, body);
    }

    @Deactivate
    void deactivate() {
        connector.close();
    }
}
