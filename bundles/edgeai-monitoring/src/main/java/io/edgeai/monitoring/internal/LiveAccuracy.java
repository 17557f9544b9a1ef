package io.edgeai.monitoring.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.monitoring.Labels;
import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.Result;
import io.edgeai.api.reading.ResultListener;
import io.edgeai.monitoring.internal.accuracy.AccuracyTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live accuracy: every answer the default route gave with a model's outputs is kept (per device, bounded), and
 * ground truth sent later ({@link Labels}: {@code {"ts": ..., "value": ...}}, the time of the reading it labels, from
 * the HTTP connector's {@code POST /api/v1/labels/{deviceId}} or MQTT {@code edgeai/labels/{deviceId}}) is joined with the newest prediction of that device at or before that time: the answer is
 * the pair and its error, and each model version's mean absolute error (regressors) or accuracy (classifiers) grows
 * with every label.
 */
@Component(service = {ResultListener.class, Labels.class, LiveAccuracy.class, MeterBinder.class})
public class LiveAccuracy implements ResultListener, Labels, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(LiveAccuracy.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccuracyTracker tracker = new AccuracyTracker(1000, 60_000);
    private final LongAdder unmatched = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    /** Its meters: unmatched labels, refusals by reason and the scores of each version, added when first seen. */
    private final MeterSet meters = new MeterSet();

    @Activate
    public LiveAccuracy() {
        meters.counter("edgeai.labels.unmatched", "Labels without a prediction to join", unmatched, LongAdder::sum);
        LOG.debug("Live accuracy ready for labels");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    /** A version's accuracy meters, once: they read its score when scraped. */
    private void meter(String model, int version) {
        String v = String.valueOf(version);
        if (meters.has("edgeai.labels", "model", model, "version", v)) {
            return;
        }
        String[] tags = {"model", model, "version", v};
        meters.counter("edgeai.labels", "Labels joined with the version's predictions", this,
                a -> a.score(model, version).map(AccuracyTracker.Score::labels).orElse(0L), tags);
        meters.counter("edgeai.accuracy.regressed", "Labels of a regressor's version joined (the count"
                + " edgeai_accuracy_absolute_error_total sums over)", this, a -> a.score(model, version)
                .map(AccuracyTracker.Score::regressed).orElse(0L), tags);
        meters.counter("edgeai.accuracy.absolute.error", "Sum of the absolute errors of the version's first output"
                + " against the labels: its increase over the increase of edgeai_accuracy_regressed_total is the MAE"
                + " over any period", this, a -> a.score(model, version).map(AccuracyTracker.Score::absoluteError)
                .orElse(0.0), tags);
        meters.counter("edgeai.accuracy.classified", "Labels of a classifier's version joined", this,
                a -> a.score(model, version).map(AccuracyTracker.Score::classified).orElse(0L), tags);
        meters.counter("edgeai.accuracy.correct", "Labels equal to the classifier's most probable class", this,
                a -> a.score(model, version).map(AccuracyTracker.Score::correct).orElse(0L), tags);
        meters.gauge("edgeai.accuracy.mae", "Mean absolute error of the version's first output against the labels"
                + " (regressors)", this, a -> a.score(model, version).map(AccuracyTracker.Score::mae)
                .orElse(Double.NaN), tags);
        meters.gauge("edgeai.accuracy.share", "Share of labels equal to the version's most probable class"
                + " (classifiers)", this, a -> a.score(model, version).map(AccuracyTracker.Score::accuracy)
                .orElse(Double.NaN), tags);
    }

    @Override
    public io.edgeai.api.monitoring.LiveScore liveScore(String model, int version) {
        return score(model, version).map(s -> new io.edgeai.api.monitoring.LiveScore(s.regressed(),
                s.absoluteError(), s.classified(), s.correct())).orElse(io.edgeai.api.monitoring.LiveScore.NONE);
    }

    private Optional<AccuracyTracker.Score> score(String model, int version) {
        return tracker.scores().stream().filter(s -> s.model().equals(model) && s.version() == version).findFirst();
    }

    @Override
    public void resultChanged(Result result) {
        if (result.pipeline() == null) {
            return; // no model answered (a model's answer comes with its pipeline's features)
        }
        result.outputs().filter(values -> values.length > 0).ifPresent(values -> tracker.predicted(
                result.deviceId(), new AccuracyTracker.Prediction(result.reading().timestamp().toEpochMilli(),
                        result.prediction().model(), result.prediction().version(), values)));
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
        meter(pair.model(), pair.version());
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
        refused.computeIfAbsent(reason.metricTag(), r -> {
            LongAdder count = new LongAdder();
            meters.counter("edgeai.labels.refused", "Labels refused, by reason (HTTP and MQTT)", count, LongAdder::sum,
                    "reason", r);
            return count;
        }).increment();
        return new ReadingRejectedException(reason, detail);
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
}
