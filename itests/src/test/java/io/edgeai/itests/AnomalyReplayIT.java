package io.edgeai.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.Test;

/**
 * {@code POST /api/v1/anomaly/{deviceId}/replay} in the booted assembly, with curl: a history replayed gives the same
 * verdicts, reading by reading, as the same readings sent live (HTTP), and leaves the live stream as it was; a long
 * history (20,000 readings) is answered whole; CSV gives what the same readings in JSON give; bad histories are
 * refused with their reason.
 */
public class AnomalyReplayIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_764_450_000_000L;

    /** Hourly readings of a daily cycle with noise, a spike at 200 and a level shift from 260 on. */
    private static List<String> history(int n, long seed) {
        Random noise = new Random(seed);
        List<String> readings = new ArrayList<>();
        for (int hour = 0; hour < n; hour++) {
            double t = 20 + 5 * Math.sin(2 * Math.PI * hour / 24) + 0.2 * noise.nextGaussian()
                    + (hour == 200 ? 6 : 0) + (hour >= 260 ? 4 : 0);
            readings.add(String.format(Locale.ROOT, "{\"ts\":%d,\"values\":{\"temperature\":%.4f}}",
                    T0 + hour * 3_600_000L, t));
        }
        return readings;
    }

    private String base() {
        return ModelsApi.base(port(waitForService(Connector.class, "(connector.name=http)").endpoint(), "http"))
                .replace("/api/v1/models", "");
    }

    private static String[] replay(String url, String contentType, String body) throws Exception {
        Path file = Files.createTempFile("replay", ".json");
        try {
            Files.writeString(file, body);
            return ModelsApi.curl(url, "-X", "POST", "-H", "Content-Type: " + contentType, "--data-binary", "@" + file);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    public void aReplayedHistoryGetsTheVerdictsTheLiveStreamGot() throws Exception {
        String base = base();
        List<String> history = history(400, 3);
        List<JsonNode> live = new ArrayList<>();
        for (String reading : history) {
            Http.Answer answer = Http.postJson(base + "/api/v1/telemetry/eq-1", reading);
            assertEquals(answer.body(), 200, answer.status());
            live.add(JSON.readTree(answer.body()));
        }
        String[] answer = replay(base + "/api/v1/anomaly/eq-1/replay", "application/json",
                "[" + String.join(",", history) + "]");
        assertEquals(answer[1], "200", answer[0]);
        JsonNode replayed = JSON.readTree(answer[1]);
        assertEquals(history.size(), replayed.size());
        int scored = 0;
        int alerts = 0;
        for (int i = 0; i < history.size(); i++) {
            JsonNode l = live.get(i);
            JsonNode r = replayed.get(i);
            assertEquals("reading " + i, l.get("ts").asLong(), r.get("ts").asLong());
            for (String field : new String[] {"anomaly", "alert", "episode", "detector", "threshold"}) {
                assertEquals("reading " + i + " " + field + ": live " + l + ", replayed " + r, l.path(field),
                        r.path(field));
            }
            assertEquals("reading " + i, l.path("score").asDouble(Double.NaN), r.path("score").asDouble(Double.NaN),
                    1e-12);
            assertEquals("reading " + i, l.path("expected"), r.path("expected"));
            assertEquals("reading " + i, l.path("watch").path("detail"), r.path("watch").path("detail"));
            scored += r.has("score") ? 1 : 0;
            alerts += r.path("alert").asBoolean() ? 1 : 0;
        }
        assertEquals(history.size() - 26, scored);
        assertTrue("the spike and the shift alert: " + alerts, alerts >= 2);
        assertTrue(replayed.get(200).path("alert").asBoolean());

        // the live stream is as it was: the replay was a watch of its own
        String streams = executeCommand("edgeai:watch-list");
        String row = streams.lines().filter(line -> line.contains("eq-1")).findFirst().orElseThrow(
                () -> new AssertionError(streams));
        assertTrue(streams, row.contains("WATCHING") && row.matches(".*\\b400\\b.*"));
        assertFalse("a replay is not a live stream: " + streams, streams.contains("bad-1")
                || streams.contains("long-1"));
    }

    @Test
    public void aLongHistoryIsAnsweredWhole() throws Exception {
        List<String> history = history(20_000, 5);
        long started = System.nanoTime();
        String[] answer = replay(base() + "/api/v1/anomaly/long-1/replay", "application/json",
                "[" + String.join(",", history) + "]");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(answer[1].substring(0, Math.min(300, answer[1].length())), "200", answer[0]);
        JsonNode replayed = JSON.readTree(answer[1]);
        assertEquals(20_000, replayed.size());
        assertTrue(replayed.get(19_999).has("score"));
        System.out.println("replayed 20,000 readings in " + millis + " ms (curl, body and answer included)");
    }

    @Test
    public void aCsvHistoryIsReplayedAsTheSameReadingsInJson() throws Exception {
        List<String> history = history(300, 7);
        StringBuilder csv = new StringBuilder("ts,temperature\n");
        for (String reading : history) {
            JsonNode r = JSON.readTree(reading);
            csv.append(r.get("ts").asLong()).append(',').append(r.get("values").get("temperature").asText())
                    .append('\n');
        }
        String url = base() + "/api/v1/anomaly/csv-1/replay";
        String[] fromCsv = replay(url, "text/csv", csv.toString());
        assertEquals(fromCsv[1], "200", fromCsv[0]);
        String[] fromJson = replay(url, "application/json", "[" + String.join(",", history) + "]");
        assertEquals(JSON.readTree(fromJson[1]), JSON.readTree(fromCsv[1]));
        String[] badRow = replay(url, "text/csv", "ts,temperature\n1,20.5\n2,warm\n");
        assertEquals(badRow[1], "400", badRow[0]);
        assertTrue(badRow[1], badRow[1].contains("row 3") && badRow[1].contains("temperature"));
        String[] noTs = replay(url, "text/csv", "time,temperature\n1,20.5\n");
        assertEquals(noTs[1], "400", noTs[0]);
        assertTrue(noTs[1], noTs[1].contains("ts,temperature"));
    }

    @Test
    public void badHistoriesAreRefusedWithTheirReason() throws Exception {
        String url = base() + "/api/v1/anomaly/bad-1/replay";
        String[] notArray = replay(url, "application/json", "{\"ts\":1,\"values\":{\"t\":1}}");
        assertEquals("400", notArray[0]);
        assertTrue(notArray[1], notArray[1].contains("JSON array of readings"));
        String[] badReading = replay(url, "application/json", "[{\"ts\":1,\"values\":{\"t\":1}},"
                + "{\"ts\":2,\"values\":{}}]");
        assertEquals("400", badReading[0]);
        assertTrue(badReading[1], badReading[1].contains("reading 1"));
        String[] notJson = replay(url, "application/json", "[{\"ts\":1,");
        assertEquals("400", notJson[0]);
        String[] empty = replay(url, "application/json", "[]");
        assertEquals("400", empty[0]);
        assertTrue(empty[1], empty[1].contains("no readings"));
        assertEquals("415", replay(url, "text/plain", "1,2,3")[0]);
        String[] nan = replay(url, "application/json", "[{\"ts\":1,\"values\":{\"t\":1}},"
                + "{\"ts\":2,\"values\":{\"t\":\"NaN\"}}]");
        assertEquals(nan[1], "400", nan[0]);
        String[] get = ModelsApi.curl(url);
        assertEquals("404", get[0]);
        assertFalse(get[1].isEmpty());
    }
}
