package io.edgeai.anomaly.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.edgeai.anomaly.internal.detect.SeasonState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class WatchStoreTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void recentReadingsAreTakenOnceAfterTheyWereWritten() throws Exception {
        Path data = folder.newFolder("anomaly").toPath();
        WatchStore store = new WatchStore(data);
        assertTrue(store.takeRecent().isEmpty());
        WatchStore.Recent pump = new WatchStore.Recent(List.of("t", "h"), new long[] {1, 2},
                new double[][] {{20.5, 60}, {20.7, 61}}, 3, true, 4, Map.of("t", Map.of("day",
                        new SeasonState(1, new double[][] {{20.5}, null}, new double[] {0.25}))));
        store.saveRecent(Map.of("pump-7", pump));
        Map<String, WatchStore.Recent> taken = new WatchStore(data).takeRecent();
        WatchStore.Recent back = taken.get("pump-7");
        assertEquals(List.of("t", "h"), back.features());
        assertArrayEquals(new long[] {1, 2}, back.millis());
        assertArrayEquals(new double[] {20.7, 61}, back.values()[1], 0);
        assertEquals(3, back.episodes());
        assertTrue(back.open());
        assertEquals(4, back.calm());
        SeasonState day = back.seasons().get("t").get("day");
        assertEquals(1, day.first());
        assertArrayEquals(new double[] {20.5}, day.hours()[0], 0);
        assertNull("an hour never seen", day.hours()[1]);
        assertArrayEquals(new double[] {0.25}, day.departures(), 0);
        assertTrue("taken once", new WatchStore(data).takeRecent().isEmpty());
    }

    /** A file an earlier version wrote, without the cycles: taken, the streams learn their cycles again. */
    @Test
    public void recentReadingsWithoutCyclesAreTaken() throws Exception {
        Path data = folder.newFolder("earlier").toPath();
        Files.writeString(data.resolve("recent.json"), "{\"pump-7\": {\"features\": [\"t\"], \"millis\": [1],"
                + " \"values\": [[20.5]], \"episodes\": 0, \"open\": false, \"calm\": 0}}");
        WatchStore.Recent back = new WatchStore(data).takeRecent().get("pump-7");
        assertArrayEquals(new double[] {20.5}, back.values()[0], 0);
        assertNull(back.seasons());
    }

    @Test
    public void anUnreadableFileIsForgottenNotFatal() throws Exception {
        Path data = folder.newFolder("broken").toPath();
        Files.writeString(data.resolve("recent.json"), "{not json");
        assertTrue(new WatchStore(data).takeRecent().isEmpty());
        assertTrue(Files.notExists(data.resolve("recent.json")));
    }
}
