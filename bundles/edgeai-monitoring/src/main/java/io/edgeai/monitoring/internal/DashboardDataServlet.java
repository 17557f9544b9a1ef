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
 * {@code GET /api/v1/dashboard[?minutes=30]}: what the dashboard shows, as JSON: the devices and the anomaly episodes
 * ({@link DeviceBoard}; episodes open or ended within the window), the sampled lines of the window ({@link
 * DashboardSampler}; null where a meter had no value; a minute apart beyond what the fine samples span), the loss curves of the newest training jobs, and each model's staged rollout (running,
 * else the last one: state, reason, figures) with the devices' reported versions.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/api/v1/dashboard",
    "osgi.http.whiteboard.servlet.name=edgeai-dashboard-data",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgeai)"})
public class DashboardDataServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The time window shown unless one is asked for. */
    private static final long DEFAULT_WINDOW_MILLIS = 30 * 60_000L;
    /** Devices listed at most. */
    private static final int DEVICES = 200;
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

    private final transient DeviceBoard board;

    @Activate
    public DashboardDataServlet(@Reference DashboardSampler sampler, @Reference DeviceBoard board) {
        this.sampler = sampler;
        this.board = board;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long windowMillis;
        String minutes = request.getParameter("minutes");
        try {
            windowMillis = minutes == null ? DEFAULT_WINDOW_MILLIS : Math.round(Double.parseDouble(minutes) * 60_000);
        } catch (NumberFormatException e) {
            windowMillis = -1;
        }
        if (windowMillis < 60_000 || windowMillis > sampler.spanMillis()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("application/json");
            JSON.writeValue(response.getOutputStream(), JSON.createObjectNode().put("error", "minutes must be a number"
                    + " from 1 to " + sampler.spanMillis() / 60_000 + " (what the dashboard keeps); got " + minutes));
            return;
        }
        DashboardSampler.Samples samples = sampler.samples(windowMillis);
        ObjectNode body = JSON.createObjectNode();
        long now = System.currentTimeMillis();
        body.put("now", now);
        body.put("windowMillis", windowMillis);
        body.put("spanMillis", sampler.spanMillis());
        body.put("intervalMillis", samples.intervalMillis());
        devices(body);
        ArrayNode episodes = body.putArray("episodes");
        for (DeviceBoard.Episode e : board.episodes(now - windowMillis)) {
            ObjectNode node = episodes.addObject().put("device", e.device()).put("number", e.number())
                    .put("start", e.startMillis()).put("model", e.model()).put("version", e.version())
                    .put("peakScore", e.peakScore()).put("threshold", e.threshold()).put("open", e.open());
            if (!e.open()) {
                node.put("end", e.endMillis());
            }
            contributions(node, e.contributions());
        }
        body.put("alerts", board.alerts());
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

    /**
     * The devices an operator looks at first: those in an anomaly episode, then by score, then the most recently
     * heard of; the first {@value #DEVICES} of them, with how many there are.
     */
    private void devices(ObjectNode body) {
        List<DeviceBoard.Device> all = board.devices();
        all.sort(Comparator.comparing((DeviceBoard.Device d) -> !Boolean.TRUE.equals(d.anomaly()))
                .thenComparing(d -> d.score() == null ? -1 : -d.score())
                .thenComparing(d -> -d.seenMillis()));
        body.put("deviceCount", all.size());
        ArrayNode devices = body.putArray("devices");
        for (DeviceBoard.Device d : all.subList(0, Math.min(DEVICES, all.size()))) {
            ObjectNode node = devices.addObject().put("id", d.id()).put("seen", d.seenMillis())
                    .put("readingTime", d.readingTime().toEpochMilli());
            node.put("model", d.model());
            if (d.version() != null) {
                node.put("version", d.version());
            }
            if (d.output() != null && Float.isFinite(d.output())) {
                node.put("output", d.output());
            }
            node.put("state", d.state());
            if (d.score() != null) {
                node.put("score", d.score()).put("threshold", d.threshold()).put("anomaly", d.anomaly());
            }
            node.put("detail", d.detail());
            contributions(node, d.contributions());
        }
    }

    private static void contributions(ObjectNode node, java.util.Map<String, Double> contributions) {
        ObjectNode named = node.putObject("contributions");
        contributions.forEach((name, value) -> {
            if (Double.isFinite(value)) {
                named.put(name, value);
            }
        });
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
