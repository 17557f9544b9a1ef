package io.edgeai.bench.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The anomaly watch as a gateway runs it: a series streamed through {@code POST /api/v1/anomaly/{deviceId}/replay} as
 * a JSON array of readings, its alerts read from the verdicts. Times each replay.
 */
final class GatewayReplay {

    static final ObjectMapper JSON = new ObjectMapper();
    private static long readings;
    private static long nanos;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    GatewayReplay(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    boolean[] alerts(LabelledSeries series) {
        ArrayNode body = JSON.createArrayNode();
        for (int i = 0; i < series.length(); i++) {
            body.add(reading(series, i));
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/anomaly/" + series.name()
                    + "/replay")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .timeout(Duration.ofMinutes(5)).build();
            long started = System.nanoTime();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - started;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(series.name() + ": " + response.statusCode() + " "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            JsonNode verdicts = JSON.readTree(response.body());
            boolean[] alerts = new boolean[series.length()];
            for (int i = 0; i < alerts.length; i++) {
                alerts[i] = verdicts.get(i).path("alert").asBoolean();
            }
            synchronized (GatewayReplay.class) {
                readings += series.length();
                nanos += took;
            }
            return alerts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reading {@code i} of a series as a device sends it: {@code {"ts": …, "values": {name: value, …}}}. */
    static ObjectNode reading(LabelledSeries series, int i) {
        ObjectNode reading = JSON.createObjectNode();
        reading.put("ts", series.millis()[i]);
        ObjectNode values = reading.putObject("values");
        for (int v = 0; v < series.names().size(); v++) {
            values.put(series.names().get(v), series.values()[i][v]);
        }
        return reading;
    }

    /** The replays' rate, when there were any. */
    static void report() {
        if (readings > 0) {
            System.out.printf(Locale.ROOT, "gateway replays: %d readings in %.1f s, %.0f readings/s (HTTP, JSON both"
                    + " ways, one replay at a time)%n", readings, nanos / 1e9, readings / (nanos / 1e9));
        }
    }
}
