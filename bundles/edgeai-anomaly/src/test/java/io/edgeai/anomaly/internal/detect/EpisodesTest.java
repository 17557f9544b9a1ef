package io.edgeai.anomaly.internal.detect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class EpisodesTest {

    @Test
    public void oneAlertPerEpisodeWhichClosesAfterQuietReadings() {
        Episodes episodes = new Episodes(0.5, 0.2, 3);
        assertFalse(episodes.next(0.1).anomaly());
        Episodes.Step opened = episodes.next(0.9);
        assertTrue(opened.alert());
        assertEquals(1, opened.episode());
        // it stays open through a dip under the threshold but over the lower bound, and two quiet readings
        for (double score : new double[] {0.6, 0.3, 0.7, 0.1, 0.1}) {
            Episodes.Step step = episodes.next(score);
            assertTrue(step.anomaly());
            assertFalse(step.alert());
            assertEquals(1, step.episode());
        }
        assertFalse("closed by the third quiet reading", episodes.next(0.1).anomaly());
        Episodes.Step again = episodes.next(0.8);
        assertTrue(again.alert());
        assertEquals(2, again.episode());
        assertEquals(2, episodes.count());
    }

    @Test
    public void anUnscoredReadingNeitherOpensNorClosesAnEpisode() {
        Episodes episodes = new Episodes(0.5, 0.2, 1);
        assertFalse(episodes.next(Double.NaN).anomaly());
        episodes.next(0.9);
        Episodes.Step unscored = episodes.next(Double.NaN);
        assertTrue(unscored.anomaly());
        assertFalse(unscored.alert());
    }

    @Test
    public void aRestoredStreamGoesOnWithItsEpisode() {
        Episodes episodes = new Episodes(0.5, 0.2, 3);
        episodes.restore(4, true, 2);
        Episodes.Step step = episodes.next(0.1);
        assertFalse("the third quiet reading closes episode 4", step.anomaly());
        Episodes.Step next = episodes.next(0.9);
        assertTrue(next.alert());
        assertEquals(5, next.episode());
    }
}
