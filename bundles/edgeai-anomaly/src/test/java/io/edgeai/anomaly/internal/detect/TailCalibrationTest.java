package io.edgeai.anomaly.internal.detect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

public class TailCalibrationTest {

    @Test
    public void probabilitiesOfOrdinaryMeasuresAreAboutUniform() {
        TailCalibration calibration = new TailCalibration(1024, 16);
        Random random = new Random(1);
        for (int i = 0; i < 2000; i++) {
            calibration.admit(Math.abs(random.nextGaussian()));
        }
        int below1 = 0;
        int below10 = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double p = calibration.tail(Math.abs(random.nextGaussian()));
            below1 += p < 0.01 ? 1 : 0;
            below10 += p < 0.10 ? 1 : 0;
        }
        assertEquals(0.01, below1 / (double) n, 0.006);
        assertEquals(0.10, below10 / (double) n, 0.02);
    }

    @Test
    public void aMeasureFarBeyondAnySeenIsFarRarerThanOneInTheReference() {
        TailCalibration calibration = new TailCalibration(1024, 16);
        Random random = new Random(2);
        for (int i = 0; i < 1024; i++) {
            calibration.admit(Math.abs(random.nextGaussian()));
        }
        assertTrue(calibration.tail(12) < 1e-8);
        assertTrue(calibration.tail(5) < calibration.tail(4));
    }

    @Test
    public void oneHugeEarlierMeasureDoesNotHideTheNextAnomaly() {
        TailCalibration calibration = new TailCalibration(1024, 16);
        Random random = new Random(3);
        for (int i = 0; i < 1024; i++) {
            calibration.admit(i == 500 ? 1000 : Math.abs(random.nextGaussian()));
        }
        assertTrue("p " + calibration.tail(30), calibration.tail(30) < 1e-8);
    }

    @Test
    public void notReadyBeforeItsMinimum() {
        TailCalibration calibration = new TailCalibration(1024, 16);
        for (int i = 0; i < 15; i++) {
            calibration.admit(i);
        }
        assertTrue(Double.isNaN(calibration.tail(3)));
        calibration.admit(15);
        assertTrue(calibration.tail(3) > 0.5);
    }
}
