package io.edgeai.telemetry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.reading.PayloadFormat;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class JsonReadingParserTest {

    private static final Instant NOW = Instant.parse("2026-11-29T22:00:00Z");
    private final JsonReadingParser parser = new JsonReadingParser(4);

    private List<Reading> json(String text) throws ReadingRejectedException {
        return parser.parse("d1", text.getBytes(StandardCharsets.UTF_8), PayloadFormat.JSON, NOW);
    }

    private List<Reading> senml(String text) throws ReadingRejectedException {
        return parser.parse("d1", text.getBytes(StandardCharsets.UTF_8), PayloadFormat.SENML_JSON, NOW);
    }

    private RejectReason refusal(String text, PayloadFormat format) {
        return assertThrows(ReadingRejectedException.class,
                () -> parser.parse("d1", text.getBytes(StandardCharsets.UTF_8), format, NOW)).reason();
    }

    @Test
    public void plainReadingWithEpochMillis() throws Exception {
        Reading r = json("{\"ts\": 1764450000000, \"values\": {\"temperature\": 21.5, \"humidity\": 40}}").get(0);
        assertEquals("d1", r.deviceId());
        assertEquals(Instant.ofEpochMilli(1764450000000L), r.timestamp());
        assertEquals(Map.of("temperature", 21.5, "humidity", 40.0), r.values());
    }

    @Test
    public void isoTimestampAndArrivalTimeWhenMissing() throws Exception {
        assertEquals(Instant.parse("2026-11-29T21:00:00Z"),
                json("{\"ts\": \"2026-11-29T22:00:00+01:00\", \"values\": {\"t\": 1}}").get(0).timestamp());
        assertEquals(NOW, json("{\"values\": {\"t\": 1}}").get(0).timestamp());
    }

    @Test
    public void refusalsNameTheReason() {
        assertEquals(RejectReason.MALFORMED, refusal("{\"values\": {\"t\": 1", PayloadFormat.JSON));
        assertEquals(RejectReason.MALFORMED, refusal("[1, 2]", PayloadFormat.JSON));
        assertEquals(RejectReason.MISSING_FIELD, refusal("{\"ts\": 1}", PayloadFormat.JSON));
        assertEquals(RejectReason.MISSING_FIELD, refusal("{\"values\": {}}", PayloadFormat.JSON));
        assertEquals(RejectReason.MISSING_FIELD, refusal("{\"values\": {\"t\": \"hot\"}}", PayloadFormat.JSON));
        assertEquals(RejectReason.NON_FINITE, refusal("{\"values\": {\"t\": NaN}}", PayloadFormat.JSON));
        assertEquals(RejectReason.NON_FINITE, refusal("{\"values\": {\"t\": -Infinity}}", PayloadFormat.JSON));
        assertEquals(RejectReason.EMPTY, refusal("", PayloadFormat.JSON));
        assertEquals(RejectReason.TOO_LARGE,
                refusal("{\"values\": {\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}}", PayloadFormat.JSON));
        assertEquals(RejectReason.MALFORMED, refusal("{\"ts\": \"yesterday\", \"values\": {\"t\": 1}}",
                PayloadFormat.JSON));
    }

    @Test
    public void malformedJsonSaysWhere() {
        ReadingRejectedException e = assertThrows(ReadingRejectedException.class, () -> json("{\n\"values\": x}"));
        assertTrue(e.getMessage(), e.getMessage().contains("line 2"));
    }

    @Test
    public void badDeviceIdIsRefused() {
        assertEquals(RejectReason.UNKNOWN_RESOURCE, assertThrows(ReadingRejectedException.class,
                () -> parser.parse("a/b", "{}".getBytes(StandardCharsets.UTF_8), PayloadFormat.JSON, NOW)).reason());
    }

    @Test
    public void senmlPackWithBaseNameAndTimes() throws Exception {
        List<Reading> readings = senml("[{\"bn\": \"dev1/\", \"bt\": 1764450000, \"n\": \"temp\", \"v\": 21.5},"
                + "{\"n\": \"hum\", \"v\": 40},"
                + "{\"n\": \"temp\", \"v\": 22.0, \"t\": 60}]");
        assertEquals(2, readings.size());
        assertEquals(Instant.ofEpochSecond(1764450000L), readings.get(0).timestamp());
        assertEquals(Map.of("dev1/temp", 21.5, "dev1/hum", 40.0), readings.get(0).values());
        assertEquals(Instant.ofEpochSecond(1764450060L), readings.get(1).timestamp());
        assertEquals(Map.of("dev1/temp", 22.0), readings.get(1).values());
    }

    @Test
    public void senmlRelativeTimeCountsFromArrival() throws Exception {
        assertEquals(NOW.minusSeconds(5), senml("[{\"n\": \"t\", \"v\": 1, \"t\": -5}]").get(0).timestamp());
    }

    @Test
    public void senmlRefusals() {
        assertEquals(RejectReason.MALFORMED, refusal("{\"n\": \"t\", \"v\": 1}", PayloadFormat.SENML_JSON));
        assertEquals(RejectReason.MISSING_FIELD, refusal("[{\"n\": \"t\", \"vs\": \"x\"}]", PayloadFormat.SENML_JSON));
        assertEquals(RejectReason.MISSING_FIELD, refusal("[{\"v\": 1}]", PayloadFormat.SENML_JSON));
        assertEquals(RejectReason.NON_FINITE, refusal("[{\"n\": \"t\", \"v\": NaN}]", PayloadFormat.SENML_JSON));
    }

    @Test
    public void theModelVersionsADeviceRunsAreTakenAndCheckedBeforeAnything() throws Exception {
        Map<String, Map<String, Integer>> reported = new java.util.HashMap<>();
        JsonReadingParser withFleet = new JsonReadingParser(4);
        java.lang.reflect.Field fleet = JsonReadingParser.class.getDeclaredField("fleet");
        fleet.setAccessible(true);
        fleet.set(withFleet, new io.edgeai.api.model.DeviceFleet() {
            @Override
            public void reported(String deviceId, Map<String, Integer> versions, Instant at) {
                reported.put(deviceId, versions);
            }

            @Override
            public List<Report> devices(String model) {
                return List.of();
            }
        });
        Reading r = withFleet.parse("d7", "{\"values\": {\"t\": 1}, \"models\": {\"pump\": 3, \"fan.v2\": 1}}"
                .getBytes(StandardCharsets.UTF_8), PayloadFormat.JSON, NOW).get(0);
        assertEquals(Map.of("t", 1.0), r.values());
        assertEquals(Map.of("d7", Map.of("pump", 3, "fan.v2", 1)), reported);
        assertEquals(Map.of("pump", 3), JsonReadingParser.models(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"pump\": 3}")));
        for (String bad : new String[] {"[1]", "{\"pump\": 0}", "{\"pump\": 2.5}", "{\"pump\": \"3\"}",
            "{\"../x\": 1}", "{\"pump\": 99999999999}"}) {
            String message = assertThrows(ReadingRejectedException.class, () -> json("{\"values\": {\"t\": 1},"
                    + " \"models\": " + bad + "}")).getMessage();
            assertTrue(bad + ": " + message, message.startsWith("'models'"));
        }
    }
}
