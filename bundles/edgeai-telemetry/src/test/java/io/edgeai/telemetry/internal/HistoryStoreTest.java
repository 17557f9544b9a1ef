package io.edgeai.telemetry.internal;

import static org.junit.Assert.assertEquals;

import io.edgeai.api.preprocess.Features;
import io.edgeai.api.reading.Reading;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class HistoryStoreTest {

    private static Reading reading(String device, long second, double x) {
        return new Reading(device, Instant.ofEpochSecond(second), Map.of("x", x));
    }

    @Test
    public void newLimitsKeepWhatFitsAndDropTheOldestFirst() {
        HistoryStore history = new HistoryStore(5, 3);
        for (String device : List.of("a", "b", "c")) {
            for (int i = 0; i < 5; i++) {
                history.keep(reading(device, i, i), null);
            }
        }
        history.resize(2, 2);
        assertEquals(List.of("b", "c"), history.devices());
        assertEquals(List.of(3.0, 4.0), history.readings("c", null, null).stream().map(r -> r.values().get("x"))
                .toList());
        history.keep(reading("c", 5, 5), null);
        assertEquals(List.of(4.0, 5.0), history.readings("c", null, null).stream().map(r -> r.values().get("x"))
                .toList());
    }

    @Test
    public void keepsTheNewestReadingsOfTheMostRecentDevicesAndAnswersATimeWindow() {
        HistoryStore history = new HistoryStore(5, 2);
        for (int i = 0; i < 8; i++) {
            history.keep(reading("a", i, i), null);
        }
        history.keep(reading("b", 0, 1), null);
        List<Reading> a = history.readings("a", null, null);
        assertEquals(List.of(3.0, 4.0, 5.0, 6.0, 7.0), a.stream().map(r -> r.values().get("x")).toList());
        assertEquals(List.of(4.0, 5.0), history.readings("a", Instant.ofEpochSecond(4), Instant.ofEpochSecond(6))
                .stream().map(r -> r.values().get("x")).toList());
        history.keep(reading("c", 0, 1), null); // a third device: the least recently active one goes
        assertEquals(List.of("b", "c"), history.devices());
        assertEquals(List.of(), history.readings("a", null, null));
    }

    @Test
    public void keepsWhatTheModelSawThePipelinesNewestVectorAndNothingWhileAWindowFills() {
        HistoryStore history = new HistoryStore(10, 10);
        Reading raw = reading("d", 10, 99);
        history.keep(raw, List.of());
        assertEquals(0, history.readings("d", null, null).size());
        history.keep(raw, List.of(new Features("d", Instant.ofEpochSecond(9), List.of("x.mean"), new float[] {1}),
                new Features("d", Instant.ofEpochSecond(10), List.of("x.mean", "x.max"), new float[] {2, 3})));
        assertEquals(List.of(new Reading("d", Instant.ofEpochSecond(10), Map.of("x.mean", 2.0, "x.max", 3.0))),
                history.readings("d", null, null));
    }
}
