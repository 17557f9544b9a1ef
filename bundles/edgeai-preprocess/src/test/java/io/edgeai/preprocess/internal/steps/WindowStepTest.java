package io.edgeai.preprocess.internal.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Windows against values worked out by hand. */
public class WindowStepTest {

    private static Sample at(String device, long seconds, double x) {
        return new Sample(device, Instant.ofEpochSecond(seconds), Map.of("x", x));
    }

    private static List<Sample> feed(Step step, Sample... samples) throws Exception {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            out.addAll(step.apply(s));
        }
        return out;
    }

    @Test
    public void tumblingWindowOfThree() throws Exception {
        Step window = new WindowStep(Map.of("size", 3));
        // x = 1, 2, 6 at t = 0, 1, 2 s: mean 3, std sqrt(((1-3)^2 + (2-3)^2 + (6-3)^2) / 3) = sqrt(14/3),
        // slope = cov(t, x) / var(t) = ((-1)(-2) + 0 + (1)(3)) / 2 = 2.5 per second
        List<Sample> out = feed(window, at("d", 0, 1), at("d", 1, 2), at("d", 2, 6), at("d", 3, 10), at("d", 4, 10));
        assertEquals("one full window out of five samples", 1, out.size());
        Map<String, Double> f = out.get(0).values();
        assertEquals(3.0, f.get("x.mean"), 1e-15);
        assertEquals(Math.sqrt(14.0 / 3), f.get("x.std"), 1e-15);
        assertEquals(1.0, f.get("x.min"), 0);
        assertEquals(6.0, f.get("x.max"), 0);
        assertEquals(6.0, f.get("x.last"), 0);
        assertEquals(2.5, f.get("x.slope"), 1e-15);
        assertEquals(Instant.ofEpochSecond(2), out.get(0).timestamp());
        // the sixth sample completes the second tumbling window: 10, 10, 4
        Map<String, Double> second = feed(window, at("d", 5, 4)).get(0).values();
        assertEquals(8.0, second.get("x.mean"), 1e-15);
        assertEquals(-3.0, second.get("x.slope"), 1e-15); // ((-1)(2) + 0 + (1)(-4)) / 2
    }

    @Test
    public void slidingWindowEmitsEveryStep() throws Exception {
        Step window = new WindowStep(Map.of("size", 4, "step", 2, "features", List.of("mean")));
        List<Sample> out = feed(window, at("d", 0, 1), at("d", 1, 2), at("d", 2, 3), at("d", 3, 4), at("d", 4, 5),
                at("d", 5, 6), at("d", 6, 7), at("d", 7, 8));
        // full at the 4th sample (1..4), then every 2: (3..6), (5..8)
        assertEquals(List.of(2.5, 4.5, 6.5), out.stream().map(s -> s.values().get("x.mean")).toList());
        assertEquals(Map.of("x.mean", 2.5).keySet(), out.get(0).values().keySet());
    }

    @Test
    public void devicesHaveTheirOwnWindows() throws Exception {
        Step window = new WindowStep(Map.of("size", 2, "features", List.of("last")));
        assertTrue(feed(window, at("a", 0, 1), at("b", 0, 100)).isEmpty());
        List<Sample> out = feed(window, at("a", 1, 2), at("b", 1, 200));
        assertEquals("a", out.get(0).deviceId());
        assertEquals(2.0, out.get(0).values().get("x.last"), 0);
        assertEquals(200.0, out.get(1).values().get("x.last"), 0);
    }

    @Test
    public void badDefinitionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WindowStep(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new WindowStep(Map.of("size", 3, "step", 4)));
        assertThrows(IllegalArgumentException.class, () -> new WindowStep(Map.of("size", 2.5)));
        assertThrows(IllegalArgumentException.class,
                () -> new WindowStep(Map.of("size", 3, "features", List.of("median"))));
    }

    private static Sample atMillis(String device, long millis, double x) {
        return new Sample(device, Instant.ofEpochMilli(millis), Map.of("x", x));
    }

    @Test
    public void tumblingTimeWindowsOnTheEpochGrid() throws Exception {
        Step window = new WindowStep(Map.of("duration", "10s", "features", List.of("mean", "max", "last")));
        // [0, 10 s): 1 at 2 s, 3 at 9.999 s; [10 s, 20 s): 5 at 10 s; nothing in [20, 30); [30, 40): 7 at 35 s
        assertTrue(feed(window, atMillis("d", 2_000, 1), atMillis("d", 9_999, 3)).isEmpty());
        List<Sample> first = feed(window, atMillis("d", 10_000, 5));
        assertEquals(1, first.size());
        assertEquals(Instant.ofEpochSecond(10), first.get(0).timestamp());
        assertEquals(2.0, first.get(0).values().get("x.mean"), 0);
        assertEquals(3.0, first.get(0).values().get("x.max"), 0);
        assertEquals(3.0, first.get(0).values().get("x.last"), 0);
        List<Sample> second = feed(window, atMillis("d", 35_000, 7));
        assertEquals("the empty window [20 s, 30 s) is not emitted", 1, second.size());
        assertEquals(Instant.ofEpochSecond(20), second.get(0).timestamp());
        assertEquals(5.0, second.get(0).values().get("x.mean"), 0);
        List<Sample> third = feed(window, atMillis("d", 40_000, 0));
        assertEquals(Instant.ofEpochSecond(40), third.get(0).timestamp());
        assertEquals(7.0, third.get(0).values().get("x.mean"), 0);
    }

    @Test
    public void slidingTimeWindowsOverlap() throws Exception {
        Step window = new WindowStep(Map.of("duration", "10s", "slide", "5s", "features", List.of("mean", "min")));
        // samples at 1, 4, 6, 12 s with 1, 2, 3, 4; the 21 s sample closes windows ending at 15 and 20 s
        // (the window ending at 10 s closed at 12 s)
        assertTrue(feed(window, at("d", 1, 1), at("d", 4, 2)).isEmpty());
        List<Sample> at6 = feed(window, at("d", 6, 3));
        assertEquals("[-5 s, 5 s) closes at 6 s", 1, at6.size());
        assertEquals(1.5, at6.get(0).values().get("x.mean"), 0);
        List<Sample> at12 = feed(window, at("d", 12, 4));
        assertEquals(Instant.ofEpochSecond(10), at12.get(0).timestamp());
        assertEquals(2.0, at12.get(0).values().get("x.mean"), 0); // [0, 10): 1, 2, 3
        List<Sample> at21 = feed(window, at("d", 21, 5));
        assertEquals(2, at21.size());
        assertEquals(Instant.ofEpochSecond(15), at21.get(0).timestamp());
        assertEquals(3.5, at21.get(0).values().get("x.mean"), 0); // [5, 15): 3, 4
        assertEquals(3.0, at21.get(0).values().get("x.min"), 0);
        assertEquals(Instant.ofEpochSecond(20), at21.get(1).timestamp());
        assertEquals(4.0, at21.get(1).values().get("x.mean"), 0); // [10, 20): 4
    }

    @Test
    public void timeWindowParametersAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new WindowStep(Map.of("size", 3, "duration", "1s")));
        assertThrows(IllegalArgumentException.class, () -> new WindowStep(Map.of("duration", "5s", "slide", "10s")));
        assertThrows(IllegalArgumentException.class, () -> new WindowStep(Map.of("duration", "ten seconds")));
        assertThrows(IllegalArgumentException.class, () -> new WindowStep(Map.of("duration", "5s", "step", 2)));
    }
}
