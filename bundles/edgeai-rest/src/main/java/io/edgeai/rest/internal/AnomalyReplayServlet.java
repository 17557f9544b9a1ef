package io.edgeai.rest.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.edgeai.api.anomaly.AnomalyWatch;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.reading.PayloadFormat;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ConnectorSupport;
import io.edgeai.connector.support.ResultJson;
import io.edgeai.http.Bodies;
import io.edgeai.http.Problem;
import io.edgeai.http.Requests;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
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
 * A device's history through the anomaly watch: {@code POST /api/v1/anomaly/{deviceId}/replay} with a JSON array of
 * readings ({@code [{"ts": ..., "values": {...}}, ...]}, each as a device sends one), a SenML pack, or CSV
 * ({@code text/csv}: a header {@code ts,<value>,...}, a reading per row, an empty cell a value the reading lacks),
 * oldest first,
 * answers 200 with a JSON array of one verdict per reading ({@code {"ts", "score", "threshold", "anomaly", "alert",
 * "episode", "detector", "expected"}}, or {@code {"ts", "watch": {"state", "detail"}}} before the first score), written
 * as it is computed. The replay is a watch of its own: the device's live stream is left as it is. Refusals are
 * problem+json with their reason and counted ({@code http-anomaly}): 400 naming the first bad reading, 404 without the
 * anomaly watch, 413 over {@code maxReplayBytes}, 415, 503 with Retry-After while another replay runs.
 */
@Component(service = Servlet.class, immediate = true, configurationPid = "io.edgeai.connector.http",
        property = {"osgi.http.whiteboard.servlet.pattern=/api/v1/anomaly/*",
            "osgi.http.whiteboard.servlet.name=edgeai-anomaly-http",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgeai)"})
public class AnomalyReplayServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "/api/v1/anomaly";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Verdicts written before the answer is flushed to the client. */
    private static final int FLUSH_EVERY = 1000;

    private final transient ConnectorSupport connector;
    private final transient ConnectorCounters counters;
    private final int maxReplayBytes;
    /** One replay at a time: a history is held in memory while it is replayed. */
    private final transient Semaphore running = new Semaphore(1);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Recorder recorder;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile AnomalyWatch watch;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile ReadingParser parser;

    @Activate
    public AnomalyReplayServlet(BundleContext context, RestConfig config) {
        this.connector = new ConnectorSupport("http-anomaly", () -> recorder).endpoint(() -> PREFIX)
                .healthFrom(c -> c.health(Status.UP, "serving " + PREFIX + (watch == null
                ? " (the anomaly watch is not installed: replays are refused)" : "")));
        this.counters = connector.counters();
        this.maxReplayBytes = config.maxReplayBytes();
        connector.publish(context);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long arrived = System.nanoTime();
        counters.received();
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String device = path.endsWith("/replay") ? path.substring(1, path.length() - "/replay".length()) : null;
        if (!"POST".equals(request.getMethod()) || device == null || device.isEmpty() || device.contains("/")) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, request.getMethod() + " " + request.getRequestURI()
                    + " is not served: POST " + PREFIX + "/{deviceId}/replay");
            return;
        }
        boolean csv = request.getContentType() != null && request.getContentType().toLowerCase(java.util.Locale.ROOT)
                .startsWith("text/csv");
        PayloadFormat format = csv ? PayloadFormat.JSON : Requests.format(request.getContentType());
        if (format == null) {
            refuse(response, RejectReason.UNSUPPORTED_FORMAT, "content type '" + request.getContentType()
                    + "' not accepted: a JSON array of readings (application/json), a SenML pack"
                    + " (application/senml+json) or CSV with a header ts,<value>,... (text/csv)");
            return;
        }
        AnomalyWatch replaying = watch;
        ReadingParser readings = parser;
        if (replaying == null || readings == null) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, "the anomaly watch is not installed (feature"
                    + " edgeai-anomaly): nothing to replay through");
            return;
        }
        if (!running.tryAcquire()) {
            Problem.busy(counters, response, 5, "busy", "another replay is running; try again when it is done");
            return;
        }
        try {
            byte[] body = Bodies.readOrRefuseSlow(request, maxReplayBytes, counters, response);
            if (response.isCommitted()) {
                return;
            }
            if (body == null) {
                refuse(response, RejectReason.TOO_LARGE, "body exceeds maxReplayBytes = " + maxReplayBytes
                        + " bytes (etc/io.edgeai.connector.http.cfg)");
                return;
            }
            List<Features> history;
            try {
                history = csv ? csv(readings, device, body) : parse(readings, device, body, format);
            } catch (ReadingRejectedException e) {
                refuse(response, e.reason(), e.getMessage());
                return;
            }
            response.setStatus(200);
            response.setContentType("application/json");
            OutputStream out = response.getOutputStream();
            out.write('[');
            int[] written = {0};
            try {
                replaying.replay(device, history, verdict -> {
                    try {
                        if (written[0] > 0) {
                            out.write(',');
                        }
                        out.write(ResultJson.verdict(history.get(written[0]).timestamp(), verdict)
                                .getBytes(StandardCharsets.UTF_8));
                        if (++written[0] % FLUSH_EVERY == 0) {
                            out.flush();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException clientGone) {
                counters.failed();
                return;
            }
            out.write(']');
            counters.accepted(arrived);
        } finally {
            running.release();
        }
    }

    /**
     * The readings of the body, each through the gateway's one reading parser (the rules every device's reading
     * meets), as the watch takes them: the values of each reading, in its order.
     */
    private static List<Features> parse(ReadingParser parser, String device, byte[] body, PayloadFormat format)
            throws ReadingRejectedException {
        Instant now = Instant.now();
        List<Reading> readings = new ArrayList<>();
        if (format == PayloadFormat.SENML_JSON) {
            readings.addAll(parser.parse(device, body, format, now));
        } else {
            try (JsonParser json = JSON.getFactory().createParser(body)) {
                if (json.nextToken() != JsonToken.START_ARRAY) {
                    throw new ReadingRejectedException(RejectReason.MALFORMED, "a replay is a JSON array of readings,"
                            + " oldest first: [{\"ts\": ..., \"values\": {...}}, ...]");
                }
                int index = 0;
                while (json.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode reading = JSON.readTree(json);
                    try {
                        readings.addAll(parser.parse(device, JSON.writeValueAsBytes(reading), format, now));
                    } catch (ReadingRejectedException e) {
                        throw new ReadingRejectedException(e.reason(), "reading " + index + ": " + e.getMessage());
                    }
                    index++;
                }
                if (json.currentToken() != JsonToken.END_ARRAY || json.nextToken() != null) {
                    throw new ReadingRejectedException(RejectReason.MALFORMED, "reading " + index + " is not a JSON"
                            + " object (a replay is a JSON array of readings)");
                }
            } catch (IOException e) {
                throw new ReadingRejectedException(RejectReason.MALFORMED, "not JSON: " + e.getMessage());
            }
        }
        if (readings.isEmpty()) {
            throw new ReadingRejectedException(RejectReason.MISSING_FIELD, "no readings to replay");
        }
        List<Features> features = new ArrayList<>(readings.size());
        for (Reading reading : readings) {
            features.add(Features.of(reading));
        }
        return features;
    }

    /**
     * The readings of a CSV history: each row made the JSON reading a device would send ({@code ts} and the row's
     * non-empty cells as values) and read by the gateway's one reading parser.
     */
    private static List<Features> csv(ReadingParser parser, String device, byte[] body)
            throws ReadingRejectedException {
        CsvMapper mapper = new CsvMapper();
        List<Features> features = new ArrayList<>();
        Instant now = Instant.now();
        try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(body)) {
            int index = 0;
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                if (!row.containsKey("ts")) {
                    throw new ReadingRejectedException(RejectReason.MISSING_FIELD, "a CSV history's header names"
                            + " ts and the values: ts,temperature,...");
                }
                ObjectNode reading = JSON.createObjectNode();
                String ts = row.get("ts").trim();
                if (ts.matches("-?\\d+")) {
                    reading.put("ts", Long.parseLong(ts));
                } else {
                    reading.put("ts", ts);
                }
                ObjectNode values = reading.putObject("values");
                for (Map.Entry<String, String> cell : row.entrySet()) {
                    String text = cell.getValue() == null ? "" : cell.getValue().trim();
                    if (!cell.getKey().equals("ts") && !text.isEmpty()) {
                        try {
                            values.put(cell.getKey(), Double.parseDouble(text));
                        } catch (NumberFormatException e) {
                            throw new ReadingRejectedException(RejectReason.MALFORMED, "row " + (index + 2) + ": '"
                                    + cell.getKey() + "' is not a number: " + text);
                        }
                    }
                }
                try {
                    for (Reading parsed : parser.parse(device, JSON.writeValueAsBytes(reading), PayloadFormat.JSON,
                            now)) {
                        features.add(Features.of(parsed));
                    }
                } catch (ReadingRejectedException e) {
                    throw new ReadingRejectedException(e.reason(), "row " + (index + 2) + ": " + e.getMessage());
                }
                index++;
            }
        } catch (IOException | RuntimeException e) {
            throw new ReadingRejectedException(RejectReason.MALFORMED, "not CSV with a header ts,<value>,...: "
                    + e.getMessage());
        }
        if (features.isEmpty()) {
            throw new ReadingRejectedException(RejectReason.MISSING_FIELD, "no readings to replay");
        }
        return features;
    }

    private void refuse(HttpServletResponse response, RejectReason reason, String detail) throws IOException {
        Problem.refuse(counters, response, reason, reason.httpStatus(), "Replay refused", detail);
    }

    @Deactivate
    void deactivate() {
        connector.close();
    }
}
