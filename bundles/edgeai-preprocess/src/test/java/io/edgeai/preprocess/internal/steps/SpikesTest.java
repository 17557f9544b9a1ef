package io.edgeai.preprocess.internal.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import io.edgeai.api.reading.RejectReason;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Spike rules on crafted series, against medians and MADs worked out by hand. */
public class SpikesTest {

    private static double through(Step step, String device, double x) throws PreprocessException {
        Map<String, Double> values = new HashMap<>();
        values.put("x", x);
        return step.apply(new Sample(device, Instant.EPOCH, values)).get(0).values().get("x");
    }

    @Test
    public void hampelReplacesASpikeByTheMedian() throws Exception {
        Step hampel = Spikes.hampel(Map.of("window", 5, "threshold", 3));
        // previous 10, 11, 9, 10, 12: median 10, |deviations| 0 1 1 0 2 -> MAD 1, sigma 1.4826, fence 10 +- 4.4478
        for (double x : new double[] {10, 11, 9, 10, 12}) {
            assertEquals("the first window passes", x, through(hampel, "d", x), 0);
        }
        assertEquals("14 is within 4.4478 of 10", 14, through(hampel, "d", 14), 0);
        // now the window is 11, 9, 10, 12, 14: median 11, deviations 0 2 1 1 3 -> MAD 1, fence 11 +- 4.4478
        assertEquals("a spike of 50 becomes the median", 11, through(hampel, "d", 50), 0);
        // the replaced value (11) entered the window, not the spike: 9, 10, 12, 14, 11 -> median 11
        assertEquals(11, through(hampel, "d", -30), 0);
        assertEquals("another device has its own window", 50, through(hampel, "e", 50), 0);
    }

    @Test
    public void hampelCanRefuse() throws Exception {
        Step hampel = Spikes.hampel(Map.of("window", 3, "action", "reject"));
        for (double x : new double[] {1, 2, 3}) {
            through(hampel, "d", x);
        }
        PreprocessException spike = assertThrows(PreprocessException.class, () -> through(hampel, "d", 100));
        assertEquals(RejectReason.OUT_OF_RANGE, spike.reason());
        assertEquals("hampel", spike.step());
    }

    @Test
    public void iqrFencesLearnedInTrainingAndKept() throws Exception {
        Step clip = Spikes.iqrClip(Map.of("k", 1.0));
        for (double x : new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}) {
            Map<String, Double> values = new HashMap<>();
            values.put("x", x);
            clip.fit(new Sample("d", Instant.EPOCH, values));
        }
        clip.freeze();
        // Q1 = 3, Q3 = 7, IQR = 4: fences [-1, 11]
        assertEquals(11, through(clip, "d", 30), 0);
        assertEquals(-1, through(clip, "d", -8), 0);
        assertEquals(5, through(clip, "d", 5), 0);
        assertEquals(Map.of("x", List.of(-1.0, 11.0)), clip.fittedState());
    }
}
