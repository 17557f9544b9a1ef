package io.edgeai.monitoring.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.anomaly.AnomalyVerdict;
import io.edgeai.api.anomaly.WatchedStream;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.Result;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class DeviceBoardTest {

    private long now = 1_000_000;
    private final DeviceBoard board = new DeviceBoard(() -> now);

    private static Reading reading(String device) {
        return new Reading(device, Instant.ofEpochMilli(5_000), Map.of("t", 20.0, "p", 1.0));
    }

    private void verdict(String device, double score, boolean anomaly, boolean alert, long episode,
            Map<String, Double> contributions) {
        board.resultChanged(Result.acknowledged(reading(device), new AnomalyVerdict(WatchedStream.State.WATCHING,
                "anomaly-" + device, 2, score, 0.5, anomaly, alert, episode, "level", Map.of(), "", contributions)));
    }

    @Test
    public void anEpisodeOpensWithItsAlertKeepsItsCauseAndClosesWithTheFirstNormalReading() {
        verdict("pump-1", 0.1, false, false, 0, Map.of());
        now += 1000;
        verdict("pump-1", 0.7, true, true, 1, Map.of("p", 6.6, "t", 0.4));
        now += 1000;
        verdict("pump-1", 0.9, true, false, 1, Map.of("t", 3.0));
        List<DeviceBoard.Episode> episodes = board.episodes(0);
        assertEquals(1, episodes.size());
        DeviceBoard.Episode e = episodes.get(0);
        assertTrue(e.open());
        assertEquals(1_001_000, e.startMillis());
        assertEquals("the highest score of the episode", 0.9, e.peakScore(), 0);
        assertEquals("what drove its alert", Map.of("p", 6.6, "t", 0.4), e.contributions());
        DeviceBoard.Device device = board.devices().get(0);
        assertEquals("anomaly-pump-1", device.model());
        assertEquals(Integer.valueOf(2), device.version());
        assertEquals(Boolean.TRUE, device.anomaly());
        assertEquals(Map.of("t", 3.0), device.contributions());
        assertEquals("WATCHING", device.state());

        now += 1000;
        verdict("pump-1", 0.2, false, false, 1, Map.of());
        e = board.episodes(0).get(0);
        assertFalse(e.open());
        assertEquals(1_003_000, e.endMillis());
        assertEquals("ended before the window", 0, board.episodes(1_003_001).size());
        assertEquals(1, board.alerts());
        assertEquals(Boolean.FALSE, board.devices().get(0).anomaly());
    }

    @Test
    public void aModelsAnswerAndAnUnscoredReadingAreShownWithoutAnEpisode() {
        board.resultChanged(new Result(reading("m-1"), null, null, List.of(), new Prediction("flow", 3,
                new float[][] {{4.5f}}), null, null));
        board.resultChanged(Result.acknowledged(reading("w-1"), AnomalyVerdict.unscored(WatchedStream.State.LEARNING,
                null, "learning 3/27")));
        Map<String, DeviceBoard.Device> byId = new java.util.HashMap<>();
        board.devices().forEach(d -> byId.put(d.id(), d));
        assertEquals("flow", byId.get("m-1").model());
        assertEquals(4.5f, byId.get("m-1").output(), 0);
        assertNull(byId.get("m-1").score());
        assertEquals("LEARNING", byId.get("w-1").state());
        assertEquals("learning 3/27", byId.get("w-1").detail());
        assertNull(byId.get("w-1").score());
        assertTrue(board.episodes(0).isEmpty());
    }

    @Test
    public void aFloodOfDeviceIdsKeepsTheMostRecentOnesAndClosesTheEpisodesOfThoseForgotten() {
        verdict("first", 0.8, true, true, 1, Map.of("t", 2.0));
        for (int i = 0; i < DeviceBoard.MAX_DEVICES + 10; i++) {
            now++;
            board.resultChanged(Result.acknowledged(reading("d-" + i), null));
        }
        assertTrue(board.devices().size() <= DeviceBoard.MAX_DEVICES);
        assertTrue(board.devices().stream().anyMatch(d -> d.id().equals("d-" + (DeviceBoard.MAX_DEVICES + 9))));
        assertTrue(board.devices().stream().noneMatch(d -> d.id().equals("first")));
        assertFalse("the forgotten device's episode is closed", board.episodes(0).get(0).open());
        for (int i = 0; i < DeviceBoard.MAX_EPISODES + 5; i++) {
            now++;
            verdict("x", 0.8, true, true, i + 2, Map.of());
            now++;
            verdict("x", 0.1, false, false, i + 2, Map.of());
        }
        assertEquals(DeviceBoard.MAX_EPISODES, board.episodes(0).size());
    }
}
