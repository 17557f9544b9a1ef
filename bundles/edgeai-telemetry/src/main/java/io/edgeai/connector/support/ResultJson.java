package io.edgeai.connector.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.anomaly.AnomalyVerdict;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.Result;

/**
 * The one JSON writer of a {@link Result}, used by every connector at its edge (and by Camel's type converter): the
 * reading as the gateway understood it ({@code "deviceId", "ts", "values"}), the anomaly watch's verdict, what the
 * pipeline made of it: {@code "features"} (the newest vector the reading completed; absent while a window fills or the
 * pipeline learns) and {@code "pipeline": {"name", "revision", "outputs"}}; with a model bound, {@code "model"},
 * {@code "version"}, {@code "score"} (the first output), {@code "anomaly"} (when the version has a threshold) and
 * {@code "outputs"}.
 */
public final class ResultJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {
    }

    /**
     * A stored result as an uplink sends it: {@code "gatewayId"} and {@code "seq"} (its number in the uplink's store,
     * rising; a receiver tells a message sent again by it) in front of the result's fields. Bytes that are not a JSON
     * object are returned as they are.
     */
    public static byte[] forUplink(byte[] stored, String gatewayId, long seq) {
        try {
            com.fasterxml.jackson.databind.JsonNode result = MAPPER.readTree(stored);
            if (result != null && result.isObject()) {
                ObjectNode out = MAPPER.createObjectNode();
                out.put("gatewayId", gatewayId);
                out.put("seq", seq);
                out.setAll((ObjectNode) result);
                return MAPPER.writeValueAsBytes(out);
            }
        } catch (java.io.IOException e) {
            // not JSON: as it is
        }
        return stored;
    }

    /** The host's name (/etc/hostname, read without a lookup: a gateway may be offline), else "localhost". */
    public static String hostName() {
        try {
            String name = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).trim();
            return name.matches("[A-Za-z0-9.-]+") ? name : "localhost";
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /**
     * Each row's explanation as every protocol answers it: {@code {"method", "output", "value", "baselineValue",
     * "completenessError" (integrated gradients), "attributions": {input: value}, "baseline": {input: value}}}, null
     * for a row without an answer.
     */
    public static com.fasterxml.jackson.databind.node.ArrayNode explanations(
            java.util.List<io.edgeai.api.inference.Explanation> explanations) {
        com.fasterxml.jackson.databind.node.ArrayNode all = MAPPER.createArrayNode();
        for (io.edgeai.api.inference.Explanation e : explanations) {
            if (e == null) {
                all.addNull();
                continue;
            }
            ObjectNode node = all.addObject();
            node.put("method", e.method()).put("output", e.output()).put("value", e.value())
                    .put("baselineValue", e.baselineValue());
            if (e.completenessError() != null) {
                node.put("completenessError", e.completenessError());
            }
            ObjectNode attributions = node.putObject("attributions");
            e.byInput().forEach(attributions::put);
            ObjectNode baseline = node.putObject("baseline");
            for (int i = 0; i < e.inputs().size(); i++) {
                baseline.put(e.inputs().get(i), e.baseline()[i]);
            }
        }
        return all;
    }

    /**
     * The answer to a predict request, alike over every protocol: {@code {"model", "version", "outputs": [[...]]}} and,
     * when asked for, {@code "explanations"} ({@link #explanations}).
     */
    public static ObjectNode prediction(io.edgeai.api.inference.Explained answer) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("model", answer.prediction().model());
        json.put("version", answer.prediction().version());
        json.set("outputs", MAPPER.valueToTree(answer.prediction().outputs()));
        if (answer.explanations() != null) {
            json.set("explanations", explanations(answer.explanations()));
        }
        return json;
    }

    /** The result as the JSON a device gets. */
    public static String write(Result result) {
        ObjectNode json = base(result.reading());
        verdict(json, result.verdict());
        result.outputs().ifPresent(outputs -> {
            json.put("model", result.prediction().model());
            json.put("version", result.prediction().version());
            if (outputs.length > 0) {
                json.put("score", outputs[0]);
                if (result.threshold() != null) {
                    json.put("anomaly", outputs[0] > result.threshold());
                }
            }
            var list = json.putArray("outputs");
            for (float y : outputs) {
                list.add(y);
            }
        });
        result.newestFeatures().ifPresent(newest -> {
            ObjectNode values = json.putObject("features");
            float[] x = newest.values();
            for (int i = 0; i < x.length; i++) {
                if (Float.isFinite(x[i])) {
                    values.put(newest.names().get(i), x[i]);
                } else {
                    values.putNull(newest.names().get(i));
                }
            }
        });
        if (result.pipeline() == null) {
            return write(json);
        }
        ObjectNode info = json.putObject("pipeline");
        info.put("name", result.pipeline());
        if (result.pipelineRevision() != null) {
            info.put("revision", result.pipelineRevision());
        }
        info.put("outputs", result.features().size());
        return write(json);
    }

    /**
     * The anomaly watch's verdict: scored, {@code "model", "version", "score", "threshold", "anomaly", "alert",
     * "episode"} (in an episode), {@code "detector", "expected"}, and {@code "watch": {"state", "detail"}} when there
     * is something to say (a forecaster training); otherwise {@code "watch": {"state", "detail"}} (and the stream's
     * model once it has a name).
     */
    /** One verdict of a replayed history: {@code {"ts", ...}} with the fields the verdict has in a result. */
    public static String verdict(java.time.Instant ts, AnomalyVerdict verdict) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("ts", ts.toEpochMilli());
        verdict(json, verdict);
        return write(json);
    }

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
            result.put("alert", verdict.alert());
            if (verdict.episode() > 0) {
                result.put("episode", verdict.episode());
            }
            result.put("detector", verdict.detector());
            ObjectNode expected = result.putObject("expected");
            verdict.expected().forEach(expected::put);
            if (!verdict.contributions().isEmpty()) {
                ObjectNode contributions = result.putObject("contributions");
                verdict.contributions().forEach(contributions::put);
            }
            if (!verdict.detail().isEmpty()) {
                ObjectNode watch = result.putObject("watch");
                watch.put("state", verdict.state().name().toLowerCase(java.util.Locale.ROOT));
                watch.put("detail", verdict.detail());
            }
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
