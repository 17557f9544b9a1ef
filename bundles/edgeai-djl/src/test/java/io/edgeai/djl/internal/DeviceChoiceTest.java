package io.edgeai.djl.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class DeviceChoiceTest {

    @Test
    public void autoTakesTheFirstGpuWhenThereIsOne() {
        assertEquals("gpu(0)", DeviceChoice.choose("auto", 2).device());
        assertFalse(DeviceChoice.choose("auto", 2).refused());
    }

    @Test
    public void autoTakesTheCpuWithoutGpu() {
        DeviceChoice choice = DeviceChoice.choose("auto", 0);
        assertEquals("cpu", choice.device());
        assertFalse(choice.refused());
        assertTrue(choice.reason(), choice.reason().contains("no GPU"));
    }

    @Test
    public void emptyOrMissingMeansAuto() {
        assertEquals("gpu(0)", DeviceChoice.choose("", 1).device());
        assertEquals("cpu", DeviceChoice.choose(null, 0).device());
    }

    @Test
    public void cpuIsKeptEvenWithGpus() {
        assertEquals("cpu", DeviceChoice.choose("CPU", 4).device());
    }

    @Test
    public void namedGpusInBothNotations() {
        assertEquals("gpu(0)", DeviceChoice.choose("gpu", 1).device());
        assertEquals("gpu(1)", DeviceChoice.choose("gpu(1)", 2).device());
        assertEquals("gpu(3)", DeviceChoice.choose(" gpu:3 ", 4).device());
    }

    @Test
    public void aGpuAskedForByNameThatIsNotThereIsRefused() {
        DeviceChoice choice = DeviceChoice.choose("gpu(1)", 1);
        assertTrue(choice.refused());
        assertEquals("", choice.device());
        assertTrue(choice.reason(), choice.reason().contains("device = gpu(1) is configured but the engine sees 1"
                + " GPU(s)"));
        assertTrue("a CPU build sees none", DeviceChoice.choose("gpu", 0).refused());
        assertFalse("auto is not a request for a GPU", DeviceChoice.choose("auto", 0).refused());
    }

    @Test
    public void anUnknownDeviceIsRefusedAndSaysWhatIsKnown() {
        DeviceChoice choice = DeviceChoice.choose("tpu", 0);
        assertTrue(choice.refused());
        assertTrue(choice.reason(), choice.reason().contains("unknown device 'tpu': use auto, cpu, gpu or gpu(N)"));
    }

    @Test
    public void onlyAGpuByNameOrAnUnknownDeviceNeedsTheEngineAtStart() {
        for (String waits : new String[] {null, "", " auto ", "AUTO", "cpu", " Cpu"}) {
            assertFalse(waits, DeviceChoice.needsEngine(waits));
        }
        for (String now : new String[] {"gpu", "gpu(1)", " GPU:0 ", "tpu"}) {
            assertTrue(now, DeviceChoice.needsEngine(now));
        }
    }
}
