package io.edgeai.monitoring.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingService;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code GET /api/v1/dashboard}: what the dashboard plots, as JSON: the sampled lines ({@link DashboardSampler}; null
 * where a meter had no value), the loss curves of the newest training jobs, and each model's staged rollout (running,
 * else the last one: state, reason, figures) with the devices' reported versions.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/api/v1/dashboard",
    "osgi.http.whiteboard.servlet.name=edgeai-dashboard-data",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgeai)"})
public class DashboardDataServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Loss curves of this many newest jobs. */
    private static final int JOBS = 6;

    private final transient DashboardSampler sampler;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile TrainingService training;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile io.edgeai.api.model.ModelRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile io.edgeai.api.model.DeviceFleet fleet;

    @Activate
    public DashboardDataServlet(@Reference DashboardSampler sampler) {
        this.sampler = sampler;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DashboardSampler.Samples samples = sampler.samples();
        ObjectNode body = JSON.createObjectNode();
        body.put("intervalMillis", samples.intervalMillis());
        ArrayNode times = body.putArray("times");
        for (long t : samples.times()) {
            times.add(t);
        }
        ArrayNode lines = body.putArray("lines");
        samples.lines().forEach((key, values) -> {
            ObjectNode line = lines.addObject();
            line.put("name", key.name());
            line.put("kind", key.kind());
            ObjectNode tags = line.putObject("tags");
            key.tags().forEach(tags::put);
            ArrayNode points = line.putArray("values");
            for (double v : values) {
                number(points, v);
            }
        });
        ArrayNode jobs = body.putArray("jobs");
        TrainingService service = training;
        if (service != null) {
            List<TrainingJob> newest = service.jobs().stream()
                    .sorted(Comparator.comparing(TrainingJob::submitted).reversed()).limit(JOBS).toList();
            for (TrainingJob job : newest) {
                ObjectNode node = jobs.addObject().put("id", job.id()).put("model", job.model())
                        .put("state", job.state().name()).put("epoch", job.epoch()).put("epochs", job.epochs())
                        .put("version", job.version());
                ArrayNode train = node.putArray("trainLoss");
                job.trainLoss().forEach(v -> number(train, v));
                ArrayNode validation = node.putArray("validationLoss");
                job.validationLoss().forEach(v -> number(validation, v));
            }
        }
        ArrayNode rollouts = body.putArray("rollouts");
        io.edgeai.api.model.ModelRegistry models = registry;
        io.edgeai.api.model.DeviceFleet reports = fleet;
        if (models != null) {
            for (String model : models.models()) {
                models.rollout(model).ifPresent(rollout -> {
                    ObjectNode node = (ObjectNode) JSON.valueToTree(rollout.asMap());
                    ObjectNode devices = node.putObject("devices");
                    if (reports != null) {
                        reports.versions(model).forEach((version, count) -> devices.put(String.valueOf(version),
                                count));
                    }
                    rollouts.add(node);
                });
            }
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-cache");
        JSON.writeValue(response.getOutputStream(), body);
    }

    /** A number, or null for NaN and infinities (which JSON has not). */
    private static void number(ArrayNode array, double value) {
        if (Double.isFinite(value)) {
            array.add(value);
        } else {
            array.addNull();
        }
    }
}
