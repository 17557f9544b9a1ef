package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.training.TrainingService;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * The dashboard in a real browser: headless Chromium (Debian's) loads {@code GET /} from the booted assembly while the
 * test trains a model, sends it readings over HTTP and CoAP and posts labels; the test waits until the charts show
 * that traffic (what each chart plots is written beside it, per series: points, last and largest value), checks the
 * figures against what it sent; then, with the anomaly watch, a pressure line that drops to zero: the device table puts
 * that device first with its cause, the open episode shows the value that drove it, the timeline its alert. It saves
 * a screenshot as a build artifact ({@code itests/target/screenshots}).
 */
public class DashboardIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROW = Pattern.compile("<tr data-series=\"([^\"]*)\" data-points=\"(\\d+)\""
            + " data-last=\"([^\"]*)\" data-max=\"([^\"]*)\">");
    private static final Pattern HEALTH = Pattern.compile("<tr data-component=\"([^\"]*)\" data-status=\"([^\"]*)\">");
    private static final long T0 = 1_764_450_000_000L;

    @Override
    protected Option[] additionalOptions() {
        // resolved where Maven runs the test (the itests module), read in the container
        return new Option[] {systemProperty("edgeai.screenshots").value(new File("target/screenshots")
                .getAbsolutePath())};
    }

    /** One plotted series as the page describes it. */
    private record Series(int points, double last, double max) {
    }

    /** Every chart's series, by chart id and series label. */
    private static Map<String, Map<String, Series>> charts(String dom) {
        Map<String, Map<String, Series>> charts = new HashMap<>();
        Matcher section = Pattern.compile("<section class=\"panel[^\"]*\" id=\"(chart-[a-z-]+)\"").matcher(dom);
        List<int[]> bounds = new java.util.ArrayList<>();
        List<String> ids = new java.util.ArrayList<>();
        while (section.find()) {
            ids.add(section.group(1));
            bounds.add(new int[] {section.start()});
        }
        for (int i = 0; i < ids.size(); i++) {
            int end = i + 1 < ids.size() ? bounds.get(i + 1)[0] : dom.length();
            Matcher row = ROW.matcher(dom.substring(bounds.get(i)[0], end));
            Map<String, Series> series = new HashMap<>();
            while (row.find()) {
                series.put(row.group(1), new Series(Integer.parseInt(row.group(2)), number(row.group(3)),
                        number(row.group(4))));
            }
            charts.put(ids.get(i), series);
        }
        return charts;
    }

    private static double number(String text) {
        return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }

    @Test
    public void theDashboardPlotsTheTrafficTheTestSent() throws Exception {
        assertTrue("Debian's chromium is needed (.ci/run installs it)", Chromium.installed());
        waitForService(TrainingService.class, null);
        String http = "http://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http");
        String coap = "coap://127.0.0.1:" + port(waitForService(Connector.class, "(connector.name=coap)").endpoint(),
                "coap");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> "200".equals(ModelsApi.curl(http + "/")[0]));
        String page = ModelsApi.curl(http + "/")[1];
        assertTrue(page, page.contains("/dashboard/uPlot.iife.min.js"));
        // offline: the page loads nothing from elsewhere (no CDN), its script neither
        assertFalse(page, Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find());
        assertFalse(Pattern.compile("https?://").matcher(ModelsApi.curl(http + "/dashboard/dashboard.js")[1]).find());
        assertEquals("200", ModelsApi.curl(http + "/dashboard/uPlot.iife.min.js")[0]);
        assertEquals("404", ModelsApi.curl(http + "/no-such-page")[0]);

        String job = ModelsApi.trainLinear(http, "dash");
        // the epochs the job ran (early stopping may end it before its 20): the curve the dashboard must plot whole
        int epochs = JSON.readTree(
                ModelsApi.curl(http + "/api/v1/training-jobs/" + job)[1]).get("lossHistory").size();
        assertTrue("the job ran epochs: " + epochs, epochs > 0);
        executeCommand("config:property-set -p io.edgeai.telemetry model dash");
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Http.postJson(http
                    + "/api/v1/telemetry/probe", "{\"values\": {\"a\": 0, \"b\": 0}}").body()
                    .contains("\"model\":\"dash\""));
            Random random = new Random(11);
            int n = 120;
            double sum = 0;
            double[] truth = new double[n];
            for (int i = 0; i < n; i++) {
                double a = random.nextGaussian();
                double b = random.nextGaussian();
                String reading = String.format(Locale.ROOT, "{\"ts\": %d, \"values\": {\"a\": %.6f, \"b\": %.6f}}",
                        T0 + i * 1000L, a, b);
                JsonNode answer = JSON.readTree(Http.postJson(http + "/api/v1/telemetry/pump-1", reading).body());
                truth[i] = 2 * a - b + 1 + 0.5 * random.nextGaussian();
                sum += Math.abs(answer.get("score").asDouble() - truth[i]);
                if (i % 10 == 0) {
                    String answered = CoapClient.postJson(coap + "/telemetry/pump-2", reading);
                    assertTrue(answered, answered.contains("\"model\":\"dash\""));
                }
            }
            double mae = sum / n;
            for (int i = 0; i < n; i++) {
                String[] joined = ModelsApi.curl(http + "/api/v1/labels/pump-1", "-X", "POST", "-H",
                        "Content-Type: application/json", "--data-binary", String.format(Locale.ROOT,
                        "{\"ts\": %d, \"value\": %.9f}", T0 + i * 1000L, truth[i]));
                assertEquals(joined[1], "200", joined[0]);
            }

            // without the model the telemetry route asks the anomaly watch: a pressure line that drops to zero opens
            // an episode, explained by the pressure reading
            executeCommand("config:property-set -p io.edgeai.telemetry model \"\"");
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Http.postJson(http
                    + "/api/v1/telemetry/probe-2", "{\"values\": {\"a\": 0}}").body().contains("learning"));
            JsonNode alert = null;
            for (int i = 0; i < 61; i++) {
                double pressure = i == 60 ? 0 : 5 + 0.05 * random.nextGaussian();
                String reading = String.format(Locale.ROOT, "{\"ts\": %d, \"values\": {\"temperature\": %.4f,"
                        + " \"pressure\": %.4f, \"flow\": %.4f}}", T0 + i * 60_000L, 40 + 0.1 * random.nextGaussian(),
                        pressure, 120 + 0.5 * random.nextGaussian());
                alert = JSON.readTree(Http.postJson(http + "/api/v1/telemetry/press-4", reading).body());
            }
            assertTrue(alert.toString(), alert.get("alert").asBoolean());
            assertEquals(alert.toString(), "pressure", alert.get("contributions").fieldNames().next());

            // the browser polls every 2 s; wait until what the test sent is plotted
            Map<String, Map<String, Series>> seen = new HashMap<>();
            String[] dom = new String[1];
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                dom[0] = Chromium.dom(http + "/", 4000);
                seen.clear();
                seen.putAll(charts(dom[0]));
                return plotted(seen, "chart-throughput", "received http")
                        && plotted(seen, "chart-throughput", "received coap")
                        && plotted(seen, "chart-connector-latency", "http p99")
                        && plotted(seen, "chart-model-requests", "dash v1")
                        && plotted(seen, "chart-model-latency", "dash v1 p50")
                        && plotted(seen, "chart-batch", "dash v1")
                        && plotted(seen, "chart-route-latency", "edgeai-telemetry")
                        && plotted(seen, "chart-drift", "dash input:a")
                        && plotted(seen, "chart-accuracy", "dash v1 MAE")
                        && plotted(seen, "chart-loss", "dash " + job + " train")
                        // the sampler may first show the job's history as it was a few epochs before its end
                        && seen.get("chart-loss").get("dash " + job + " train").points() == epochs
                        && plotted(seen, "chart-process", "resident")
                        && dom[0].contains("<div class=\"episode\" data-device=\"press-4\"");
            });
            System.out.println("dashboard charts: " + seen);

            // the figures are the traffic's: readings per second were plotted, the latest MAE is the test's own
            assertTrue(seen.toString(), seen.get("chart-throughput").get("received http").max() > 0);
            double plottedMae = seen.get("chart-accuracy").get("dash v1 MAE").last();
            System.out.printf(Locale.ROOT, "dashboard MAE of dash v1: %.6f, computed here %.6f%n", plottedMae, mae);
            assertEquals(mae, plottedMae, 1e-4);
            assertEquals(seen.toString(), epochs, seen.get("chart-loss").get("dash " + job + " train").points());
            Map<String, String> health = new HashMap<>();
            Matcher row = HEALTH.matcher(dom[0]);
            while (row.find()) {
                health.put(row.group(1), row.group(2));
            }
            assertEquals(dom[0], "UP", health.get("connector-http"));
            assertEquals(dom[0], "UP", health.get("connector-coap"));

            // what an operator looks at first: the devices (the one in an episode first, with its cause), the
            // open episode with the value that drove it, the alert on the timeline
            Matcher devices = Pattern.compile("<tr data-device=\"([^\"]+)\" data-model=\"([^\"]*)\" data-version=\""
                    + "([^\"]*)\" data-state=\"([^\"]*)\" data-anomaly=\"(true|false)\" data-score=\"([^\"]*)\""
                    + " data-cause=\"([^\"]*)\"").matcher(dom[0]);
            List<String[]> rows = new java.util.ArrayList<>();
            while (devices.find()) {
                rows.add(new String[] {devices.group(1), devices.group(2), devices.group(3), devices.group(5),
                        devices.group(6), devices.group(7)});
            }
            assertEquals(dom[0], "press-4", rows.get(0)[0]);
            assertEquals("true", rows.get(0)[3]);
            assertTrue(rows.get(0)[4], Double.parseDouble(rows.get(0)[4]) >= 0.5);
            assertEquals("pressure", rows.get(0)[5]);
            String[] pump = rows.stream().filter(r -> r[0].equals("pump-1")).findFirst().orElseThrow();
            assertEquals("dash", pump[1]);
            assertEquals("1", pump[2]);
            assertEquals("false", pump[3]);
            assertTrue(rows.stream().anyMatch(r -> r[0].equals("pump-2")));
            int card = dom[0].indexOf("<div class=\"episode\" data-device=\"press-4\"");
            assertTrue(dom[0], dom[0].startsWith("<div class=\"episode\" data-device=\"press-4\" data-cause=\"pressure\"",
                    card));
            assertTrue(dom[0], dom[0].indexOf("<div class=\"bar\" data-name=\"pressure\"", card) > card);
            assertTrue(dom[0], dom[0].contains("<div class=\"lane\" data-device=\"press-4\">"));
            assertTrue(dom[0], dom[0].contains("id=\"devices-empty\" hidden"));
            // the loss, spanning decades from its first epoch, on a log scale
            assertTrue(dom[0], Pattern.compile("id=\"chart-loss\"[^>]*data-scale=\"log\"").matcher(dom[0]).find()
                    || !spansDecades(seen.get("chart-loss")));

            // the window: what the page asks for, and a clear refusal of one it does not keep
            JsonNode fiveMinutes = JSON.readTree(ModelsApi.curl(http + "/api/v1/dashboard?minutes=5")[1]);
            assertEquals(300_000, fiveMinutes.get("windowMillis").asLong());
            assertTrue(fiveMinutes.get("times").size() > 0);
            assertEquals("pressure", fiveMinutes.get("episodes").get(0).get("contributions").fieldNames().next());
            String[] refused = ModelsApi.curl(http + "/api/v1/dashboard?minutes=99999");
            assertEquals(refused[1], "400", refused[0]);
            assertTrue(refused[1], refused[1].contains("minutes must be a number from 1 to 1440"));

            Path png = Path.of(System.getProperty("edgeai.screenshots"), "dashboard.png");
            Chromium.screenshot(http + "/", 4000, png, 1400, 3600);
            System.out.println("dashboard screenshot: " + png);
        } finally {
            executeCommand("config:property-set -p io.edgeai.telemetry model \"\"");
        }
    }

    /** True when a chart's values span more than two decades (its largest over its smallest last value). */
    private static boolean spansDecades(Map<String, Series> chart) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Series s : chart.values()) {
            lo = Math.min(lo, s.last());
            hi = Math.max(hi, s.max());
        }
        return hi / lo > 100;
    }

    private static boolean plotted(Map<String, Map<String, Series>> charts, String chart, String series) {
        Series s = charts.getOrDefault(chart, Map.of()).get(series);
        return s != null && s.points() > 0;
    }
}
