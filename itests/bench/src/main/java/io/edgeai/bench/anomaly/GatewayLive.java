package io.edgeai.bench.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The anomaly watch as a device meets it: a series sent reading by reading through {@code POST
 * /api/v1/telemetry/{deviceId}}, its alerts read from the answers. With the learned forecaster on, the stream is paced:
 * when an answer says a training started ({@code "watch": {"detail": "… (job …)"}}), the next reading waits until
 * that job has finished, so that each training is taken into use before the reading after the one that started it,
 * as a slow live stream would see it. Counts the readings, the trainings waited for and the forecaster's share.
 */
final class GatewayLive {

    private static final Pattern JOB = Pattern.compile("\\(job ([^)\\s]+)\\)");
    private static long readings;
    private static long forecast;
    private static long trainings;
    private static long nanos;
    private static long trainingNanos;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private int streams;

    GatewayLive(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    boolean[] alerts(LabelledSeries series) {
        boolean[] alerts = new boolean[series.length()];
        long started = System.nanoTime();
        long waited = 0;
        int jobs = 0;
        int withForecast = 0;
        // a device of its own per series (the corpus of each seed has the same names)
        String device = "live" + ++streams + "-" + series.name();
        for (int i = 0; i < series.length(); i++) {
            JsonNode answer = post("/api/v1/telemetry/" + device, GatewayReplay.reading(series, i));
            alerts[i] = answer.path("alert").asBoolean();
            if (answer.path("version").asInt() > 0) {
                withForecast++;
            }
            Matcher job = JOB.matcher(answer.path("watch").path("detail").asText());
            if (job.find()) {
                long from = System.nanoTime();
                awaitFinished(job.group(1));
                waited += System.nanoTime() - from;
                jobs++;
            }
        }
        synchronized (GatewayLive.class) {
            readings += series.length();
            forecast += withForecast;
            trainings += jobs;
            nanos += System.nanoTime() - started - waited;
            trainingNanos += waited;
        }
        return alerts;
    }

    private void awaitFinished(String job) {
        long backoff = 5;
        while (true) {
            String state = get("/api/v1/training-jobs/" + job).path("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                return;
            }
            try {
                Thread.sleep(backoff); // polling a job the gateway runs: nothing to wait on but its state
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            backoff = Math.min(100, backoff * 2);
        }
    }

    private JsonNode post(String path, JsonNode body) {
        try {
            return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(GatewayReplay.JSON.writeValueAsBytes(body))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofMinutes(1)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(response.request().uri() + ": " + response.statusCode() + " "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            return GatewayReplay.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the live runs did, when there were any. */
    static void report() {
        if (readings > 0) {
            System.out.printf(Locale.ROOT, "gateway live: %d readings one by one in %.1f s (%.0f readings/s over HTTP),"
                    + " %d trainings waited for (%.1f s), %.1f %% of the readings forecast by a learned forecaster%n",
                    readings, nanos / 1e9, readings / (nanos / 1e9), trainings, trainingNanos / 1e9,
                    100.0 * forecast / readings);
        }
    }
}
