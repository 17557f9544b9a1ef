package io.edgeai.djl.internal;

import static org.junit.Assert.assertEquals;

import java.lang.annotation.Annotation;
import org.junit.Test;

public class DjlSettingsTest {

    private static DjlRuntimeConfig config(int inter, int intra) {
        return config(inter, intra, " /opt/libtorch ");
    }

    private static DjlRuntimeConfig config(int inter, int intra, String library) {
        return new DjlRuntimeConfig() {
            @Override public Class<? extends Annotation> annotationType() { return DjlRuntimeConfig.class; }
            @Override public String device() { return " gpu(0) "; }
            @Override public int interOpThreads() { return inter; }
            @Override public int intraOpThreads() { return intra; }
            @Override public String libraryPath() { return library; }
            @Override public String cacheDir() { return null; }
            @Override public String flavor() { return " CU128 "; }
            @Override public boolean preload() { return false; }
        };
    }

    @Test
    public void zeroThreadsMeansOneBetweenAndOnePerCoreInside() {
        DjlSettings settings = DjlSettings.of(config(0, 0), 2, null, null);
        assertEquals(1, settings.interOpThreads());
        assertEquals(2, settings.intraOpThreads());
    }

    @Test
    public void configuredThreadsAreKept() {
        DjlSettings settings = DjlSettings.of(config(2, 3), 8, null, null);
        assertEquals(2, settings.interOpThreads());
        assertEquals(3, settings.intraOpThreads());
    }

    @Test
    public void valuesAreTrimmed() {
        DjlSettings settings = DjlSettings.of(config(0, 0), 1, null, null);
        assertEquals("gpu(0)", settings.device());
        assertEquals("/opt/libtorch", settings.libraryPath());
        assertEquals("", settings.cacheDir());
        assertEquals("cu128", settings.flavor());
    }

    @Test
    public void emptyFoldersDefaultToTheAssemblys() {
        DjlSettings settings = DjlSettings.of(config(0, 0, ""), 1, "/opt/gw", "/opt/gw/data");
        assertEquals("/opt/gw/lib/pytorch", settings.libraryPath());
        assertEquals("/opt/gw/data/djl", settings.cacheDir());
    }
}
