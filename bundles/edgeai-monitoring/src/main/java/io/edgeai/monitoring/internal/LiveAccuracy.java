package io.edgeai.monitoring.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.monitoring.Labels;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.ResultListener;
import io.edgeai.monitoring.internal.accuracy.AccuracyTracker;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live accuracy: every answer the default route gave with a model's outputs is kept (per device, bounded), and
 * ground truth posted later to {@code POST /api/v1/labels/{deviceId}} ({@code {"ts": ..., "value": ...}}, the time
 * of the reading it labels) is joined with the newest prediction of that device at or before that time: the answer is
 * the pair and its error, and each model version's mean absolute error (regressors) or accuracy (classifiers) grows
 * with every label. Labels from MQTT ({@code edgeai/labels/{deviceId}}) come through {@link Labels}.
 */
@Component(service = {ResultListener.class, Servlet.class, Labels.class, LiveAccuracy.class},
        property = {"osgi.http.whiteboard.servlet.pattern=/api/v1/labels/*",
            "osgi.http.whiteboard.servlet.name=edgeai-labels"})
public class LiveAccuracy extends HttpServlet implements ResultListener, Labels {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LiveAccuracy.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient AccuracyTracker tracker = new AccuracyTracker(1000, 60_000);
    private final transient LongAdder unmatched = new LongAdder();
    private final transient Map<String, LongAdder> refused = new ConcurrentHashMap<>();

    @Activate
    public LiveAccuracy() {
        LOG.debug("Live accuracy ready on /api/v1/labels");
    }

    @Override
    public void resultChanged(String deviceId, String resultJson) {
        if (!resultJson.contains("\"outputs\":[")) {
            return; // no model's outputs in this answer (the pipeline's "outputs" is a count): nothing to parse
        }
        try {
            JsonNode result = JSON.readTree(resultJson);
            JsonNode outputs = result.path("outputs");
            if (!result.hasNonNull("model") || !outputs.isArray() || outputs.isEmpty()) {
                return;
            }
            float[] values = new float[outputs.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) outputs.get(i).asDouble();
            }
            tracker.predicted(deviceId, new AccuracyTracker.Prediction(result.path("ts").asLong(),
                    result.get("model").asText(), result.path("version").asInt(), values));
        } catch (IOException e) {
            LOG.debug("A result of {} is not JSON: {}", deviceId, e.getMessage());
        }
    }

    List<AccuracyTracker.Score> scores() {
        return tracker.scores();
    }

    long unmatched() {
        return unmatched.sum();
    }

    /** Labels refused, by reason ({@link RejectReason#metricTag()}). */
    Map<String, Long> refused() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        refused.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    @Override
    public String label(String device, byte[] json) throws ReadingRejectedException {
        JsonNode body;
        try {
            body = JSON.readTree(json);
        } catch (IOException e) {
            throw refused(RejectReason.MALFORMED, "not JSON: " + e.getMessage());
        }
        JsonNode value = body == null ? null : body.get("value");
        Long millis = body == null ? null : millis(body.get("ts"));
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble()) || millis == null) {
            throw refused(RejectReason.MISSING_FIELD, "a label is {\"ts\": <the reading's time, epoch ms or ISO-8601>,"
                    + " \"value\": <the true value or class>}");
        }
        Optional<AccuracyTracker.Joined> joined = tracker.label(device, millis, value.asDouble());
        if (joined.isEmpty()) {
            unmatched.increment();
            throw refused(RejectReason.UNKNOWN_RESOURCE, "no prediction of device '" + device + "' at or up to 60 s"
                    + " before " + Instant.ofEpochMilli(millis) + " to join this label with");
        }
        AccuracyTracker.Joined pair = joined.get();
        ObjectNode answer = JSON.createObjectNode();
        answer.put("deviceId", device);
        answer.put("model", pair.model());
        answer.put("version", pair.version());
        answer.put("predictionTs", pair.predictionMillis());
        var outputs = answer.putArray("outputs");
        for (float y : pair.outputs()) {
            outputs.add(y);
        }
        answer.put("value", pair.truth());
        answer.put("error", pair.error());
        answer.put("correct", pair.correct());
        return answer.toString();
    }

    private ReadingRejectedException refused(RejectReason reason, String detail) {
        refused.computeIfAbsent(reason.metricTag(), r -> new LongAdder()).increment();
        return new ReadingRejectedException(reason, detail);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String device = request.getPathInfo() == null ? "" : request.getPathInfo().replaceFirst("^/", "");
        if (device.isEmpty() || device.contains("/")) {
            problem(response, RejectReason.UNKNOWN_RESOURCE, "POST /api/v1/labels/{deviceId}");
            return;
        }
        try {
            String answer = label(device, request.getInputStream().readAllBytes());
            response.setStatus(200);
            response.setContentType("application/json");
            response.getOutputStream().write(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (ReadingRejectedException e) {
            problem(response, e.reason(), e.getMessage());
        }
    }

    private static Long millis(JsonNode ts) {
        if (ts == null) {
            return null;
        }
        if (ts.isIntegralNumber()) {
            return ts.asLong();
        }
        try {
            return ts.isTextual() ? Instant.parse(ts.asText()).toEpochMilli() : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** RFC 9457 problem+json: 404 for a label with no answer to join (or no device), 400 for the rest. */
    private static void problem(HttpServletResponse response, RejectReason reason, String detail) throws IOException {
        int status = reason == RejectReason.UNKNOWN_RESOURCE ? 404 : 400;
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", "about:blank");
        problem.put("title", reason.metricTag());
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("reason", reason.metricTag());
        response.setStatus(status);
        response.setContentType("application/problem+json");
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
