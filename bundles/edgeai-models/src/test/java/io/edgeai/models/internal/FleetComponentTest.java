package io.edgeai.models.internal;

import static org.junit.Assert.assertEquals;

import io.edgeai.api.model.DeviceFleet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The fleet view: each device's newest report per model, counted by version; the longest silent device goes first. */
public class FleetComponentTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    public void newestReportPerDeviceAndModelCountedByVersion() {
        FleetComponent fleet = new FleetComponent(3);
        fleet.known = model -> model.equals("pump") || model.equals("fan");
        fleet.reported("z", Map.of("made-up", 1), T);
        fleet.reported("b", Map.of("pump", 2), T);
        fleet.reported("a", Map.of("pump", 2, "fan", 1), T);
        fleet.reported("b", Map.of("pump", 3), T.plusSeconds(5));
        assertEquals(List.of(new DeviceFleet.Report("a", "pump", 2, T), new DeviceFleet.Report("b", "pump", 3,
                T.plusSeconds(5))), fleet.devices("pump"));
        assertEquals(Map.of(2, 1L, 3, 1L), fleet.versions("pump"));
        assertEquals(Map.of(1, 1L), fleet.versions("fan"));
        // two more devices: the one silent longest (a) is forgotten, b reported since
        fleet.reported("c", Map.of("pump", 3), T.plusSeconds(6));
        fleet.reported("d", Map.of("pump", 3), T.plusSeconds(7));
        assertEquals(Map.of(3, 3L), fleet.versions("pump"));
        assertEquals("a name the registry does not know is not kept", List.of(), fleet.devices("made-up"));
        assertEquals(Map.of(), fleet.versions("fan"));
    }
}
