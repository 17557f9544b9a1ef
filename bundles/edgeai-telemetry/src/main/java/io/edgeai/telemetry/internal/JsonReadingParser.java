package io.edgeai.telemetry.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeai.api.model.DeviceFleet;
import io.edgeai.api.reading.PayloadFormat;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Parses the gateway's JSON reading format and SenML JSON (RFC 8428) with Jackson. Every refusal names what is wrong
 * and where, in words a device developer can act on.
 */
@Component(service = ReadingParser.class, configurationPid = "io.edgeai.telemetry")
@Designate(ocd = TelemetryConfig.class)
public final class JsonReadingParser implements ReadingParser {

    /** SenML: times below 2^28 s are relative to now (RFC 8428, section 4.5.3). */
    private static final double SENML_RELATIVE_LIMIT = 268_435_456d;
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    // NaN and Infinity are parsed, then refused as NON_FINITE: a clearer answer than "malformed"
    private final ObjectMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    /** Taken up live ({@link #modified}): the connectors that hold this parser keep running through a change. */
    private volatile int maxValues;
    /** Model names as the registry takes them. */
    private static final Pattern MODEL_NAME = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    @org.osgi.service.component.annotations.Reference(cardinality =
            org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL, policy =
            org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC, policyOption =
            org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    private volatile DeviceFleet fleet;

    @Activate
    public JsonReadingParser(TelemetryConfig config) {
        this(config.maxValues());
    }

    JsonReadingParser(int maxValues) {
        this.maxValues = maxValues;
    }

    /**
     * A change of {@code io.edgeai.telemetry} (the default route's model or pipeline, most often) applies here without
     * a new parser: a new one would restart every connector that holds it, closing the devices' MQTT connections.
     */
    @Modified
    void modified(TelemetryConfig config) {
        this.maxValues = config.maxValues();
    }

    @Override
    public List<Reading> parse(String deviceId, byte[] payload, PayloadFormat format, Instant receivedAt)
            throws ReadingRejectedException {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new ReadingRejectedException(RejectReason.UNKNOWN_RESOURCE,
                    "device id must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
        }
        if (payload == null || payload.length == 0) {
            throw new ReadingRejectedException(RejectReason.EMPTY, "empty payload: send {\"values\": {\"name\": 1.0}}");
        }
        JsonNode root = read(payload);
        return format == PayloadFormat.SENML_JSON
                ? senml(deviceId, root, receivedAt)
                : List.of(plain(deviceId, root, receivedAt));
    }

    private JsonNode read(byte[] payload) throws ReadingRejectedException {
        try {
            JsonNode root = mapper.readTree(payload);
            if (root == null || root.isMissingNode()) {
                throw new ReadingRejectedException(RejectReason.EMPTY, "payload holds no JSON value");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ReadingRejectedException(RejectReason.MALFORMED, "malformed JSON" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ReadingRejectedException(RejectReason.MALFORMED, "unreadable payload: " + e.getMessage());
        }
    }

    private Reading plain(String deviceId, JsonNode root, Instant receivedAt) throws ReadingRejectedException {
        if (!root.isObject()) {
            throw new ReadingRejectedException(RejectReason.MALFORMED,
                    "expected a JSON object {\"ts\": ..., \"values\": {...}}, got " + kind(root));
        }
        JsonNode values = root.get("values");
        if (values == null || values.isNull()) {
            throw new ReadingRejectedException(RejectReason.MISSING_FIELD, "missing field 'values'");
        }
        if (!values.isObject()) {
            throw new ReadingRejectedException(RejectReason.MISSING_FIELD,
                    "'values' must be an object of named numbers, got " + kind(values));
        }
        Map<String, Double> parsed = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            put(parsed, field.getKey(), number(field.getKey(), field.getValue()));
        }
        Reading reading = new Reading(deviceId, timestamp(root.get("ts"), receivedAt), checked(parsed));
        Map<String, Integer> models = models(root.get("models"));
        DeviceFleet reported = fleet;
        if (!models.isEmpty() && reported != null) {
            reported.reported(deviceId, models, receivedAt);
        }
        return reading;
    }

    /**
     * The optional {@code "models"} of a reading: the model versions the device runs itself, {@code {"pump": 3}}; an
     * entry that is not a model name with a version number refuses the reading (MALFORMED), saying why.
     */
    static Map<String, Integer> models(JsonNode models) throws ReadingRejectedException {
        if (models == null || models.isNull()) {
            return Map.of();
        }
        if (!models.isObject() || models.size() > DeviceFleet.MAX_MODELS_PER_REPORT) {
            throw new ReadingRejectedException(RejectReason.MALFORMED, "'models' must be an object of at most "
                    + DeviceFleet.MAX_MODELS_PER_REPORT + " model names with the version each runs, e.g."
                    + " {\"pump\": 3}");
        }
        Map<String, Integer> versions = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode version = entry.getValue();
            if (!MODEL_NAME.matcher(entry.getKey()).matches() || !version.isIntegralNumber()
                    || !version.canConvertToInt() || version.asInt() < 1) {
                throw new ReadingRejectedException(RejectReason.MALFORMED, "'models': '" + shorten(entry.getKey())
                        + "' must be a model name with a version number from 1, e.g. {\"pump\": 3}");
            }
            versions.put(entry.getKey(), version.asInt());
        }
        return versions;
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }

    private List<Reading> senml(String deviceId, JsonNode root, Instant receivedAt) throws ReadingRejectedException {
        if (!root.isArray() || root.isEmpty()) {
            throw new ReadingRejectedException(RejectReason.MALFORMED,
                    "SenML JSON must be a non-empty array of records, got " + kind(root));
        }
        String baseName = "";
        double baseTime = 0;
        Map<Instant, Map<String, Double>> byTime = new TreeMap<>();
        int index = 0;
        for (JsonNode record : root) {
            String where = "record " + index++;
            if (!record.isObject()) {
                throw new ReadingRejectedException(RejectReason.MALFORMED, where + " is not an object");
            }
            if (record.hasNonNull("bn")) {
                baseName = record.get("bn").asText();
            }
            if (record.hasNonNull("bt")) {
                baseTime = number(where + " bt", record.get("bt"));
            }
            String name = baseName + (record.hasNonNull("n") ? record.get("n").asText() : "");
            if (name.isEmpty()) {
                throw new ReadingRejectedException(RejectReason.MISSING_FIELD, where + " has no name (n or bn)");
            }
            if (!record.has("v")) {
                throw new ReadingRejectedException(RejectReason.MISSING_FIELD,
                        where + " ('" + name + "') has no numeric value 'v' (vs, vb and vd are not supported)");
            }
            double value = number(name, record.get("v"));
            double time = baseTime + (record.hasNonNull("t") ? number(where + " t", record.get("t")) : 0);
            Instant at = time < SENML_RELATIVE_LIMIT
                    ? receivedAt.plusNanos((long) (time * 1e9))
                    : Instant.ofEpochSecond((long) Math.floor(time), (long) ((time - Math.floor(time)) * 1e9));
            put(byTime.computeIfAbsent(at, t -> new LinkedHashMap<>()), name, value);
        }
        List<Reading> readings = new ArrayList<>();
        for (Map.Entry<Instant, Map<String, Double>> entry : byTime.entrySet()) {
            readings.add(new Reading(deviceId, entry.getKey(), checked(entry.getValue())));
        }
        return readings;
    }

    private void put(Map<String, Double> values, String name, double value) throws ReadingRejectedException {
        values.put(name, value);
        if (values.size() > maxValues) {
            throw new ReadingRejectedException(RejectReason.TOO_LARGE, "more than " + maxValues + " values");
        }
    }

    private static Map<String, Double> checked(Map<String, Double> values) throws ReadingRejectedException {
        if (values.isEmpty()) {
            throw new ReadingRejectedException(RejectReason.MISSING_FIELD, "'values' is empty");
        }
        return values;
    }

    private static double number(String name, JsonNode node) throws ReadingRejectedException {
        if (node == null || !node.isNumber()) {
            throw new ReadingRejectedException(RejectReason.MISSING_FIELD,
                    "'" + name + "' must be a number, got " + kind(node));
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw new ReadingRejectedException(RejectReason.NON_FINITE,
                    "'" + name + "' is " + value + ": only finite numbers are accepted");
        }
        return value;
    }

    private static Instant timestamp(JsonNode ts, Instant receivedAt) throws ReadingRejectedException {
        if (ts == null || ts.isNull()) {
            return receivedAt;
        }
        if (ts.isIntegralNumber() && ts.canConvertToLong() && ts.longValue() >= 0) {
            return Instant.ofEpochMilli(ts.longValue());
        }
        if (ts.isTextual()) {
            try {
                return OffsetDateTime.parse(ts.asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new ReadingRejectedException(RejectReason.MALFORMED,
                        "'ts' is not ISO-8601 with an offset (e.g. 2026-11-29T22:00:00Z): " + ts.asText());
            }
        }
        throw new ReadingRejectedException(RejectReason.MALFORMED,
                "'ts' must be epoch milliseconds or ISO-8601 text, got " + kind(ts));
    }

    private static String kind(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
