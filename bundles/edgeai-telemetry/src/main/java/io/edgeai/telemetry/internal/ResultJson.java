package io.edgeai.telemetry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.training.AnomalyVerdict;
import java.util.List;

/**
 * The answer to a device while no model is bound: the reading as the gateway understood it, and what the pipeline
 * made of it: {@code "features"} (the newest vector the reading completed; absent while a window fills or the
 * pipeline learns) and {@code "pipeline": {"name", "revision", "outputs"}}; with a model bound, {@code "model"},
 * {@code "version"}, {@code "score"} (the first output), {@code "anomaly"} (when the version has a threshold) and
 * {@code "outputs"}.
 */
final class ResultJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {
    }

    static String acknowledgement(Reading reading, AnomalyVerdict verdict) {
        ObjectNode result = base(reading);
        verdict(result, verdict);
        return write(result);
    }

    static String preprocessed(Reading reading, String pipeline, Long revision, List<Features> features,
            Prediction prediction, Double threshold, AnomalyVerdict verdict) {
        ObjectNode result = base(reading);
        verdict(result, verdict);
        if (prediction != null && prediction.outputs().length > 0) {
            result.put("model", prediction.model());
            result.put("version", prediction.version());
            float[] outputs = prediction.outputs()[prediction.outputs().length - 1];
            if (outputs.length > 0) {
                result.put("score", outputs[0]);
                if (threshold != null) {
                    result.put("anomaly", outputs[0] > threshold);
                }
            }
            var list = result.putArray("outputs");
            for (float y : outputs) {
                list.add(y);
            }
        }
        if (!features.isEmpty()) {
            Features newest = features.get(features.size() - 1);
            ObjectNode values = result.putObject("features");
            float[] x = newest.values();
            for (int i = 0; i < x.length; i++) {
                if (Float.isFinite(x[i])) {
                    values.put(newest.names().get(i), x[i]);
                } else {
                    values.putNull(newest.names().get(i));
                }
            }
        }
        ObjectNode info = result.putObject("pipeline");
        info.put("name", pipeline);
        if (revision != null) {
            info.put("revision", revision);
        }
        info.put("outputs", features.size());
        return write(result);
    }

    /**
     * The anomaly watch's verdict: scored, {@code "model", "version", "score", "threshold", "anomaly", "expected"};
     * otherwise {@code "watch": {"state", "detail"}} (and the stream's model once it has a name).
     */
    private static void verdict(ObjectNode result, AnomalyVerdict verdict) {
        if (verdict == null) {
            return;
        }
        if (verdict.scored()) {
            result.put("model", verdict.model());
            result.put("version", verdict.version());
            result.put("score", verdict.score());
            result.put("threshold", verdict.threshold());
            result.put("anomaly", verdict.anomaly());
            ObjectNode expected = result.putObject("expected");
            verdict.expected().forEach(expected::put);
        } else {
            if (verdict.model() != null) {
                result.put("model", verdict.model());
            }
            ObjectNode watch = result.putObject("watch");
            watch.put("state", verdict.state().name().toLowerCase(java.util.Locale.ROOT));
            watch.put("detail", verdict.detail());
        }
    }

    private static ObjectNode base(Reading reading) {
        ObjectNode result = MAPPER.createObjectNode();
        result.put("deviceId", reading.deviceId());
        result.put("ts", reading.timestamp().toEpochMilli());
        ObjectNode values = result.putObject("values");
        reading.values().forEach(values::put);
        return result;
    }

    private static String write(ObjectNode result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a result of plain values", e);
        }
    }
}
