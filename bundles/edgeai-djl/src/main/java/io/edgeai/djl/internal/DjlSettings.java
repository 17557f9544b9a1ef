package io.edgeai.djl.internal;

/**
 * The runtime's configuration, parsed and resolved for this machine.
 *
 * @param device the requested device, as configured
 * @param interOpThreads threads between operators, at least 1
 * @param intraOpThreads threads inside one operator, at least 1
 * @param libraryPath folder of the native libraries, or "" to leave it to DJL's environment
 * @param cacheDir DJL's cache folder, or "" for DJL's default
 * @param flavor DJL's name of the libtorch build (cpu, cu128, ...), or "" to read it from the library folder
 */
record DjlSettings(String device, int interOpThreads, int intraOpThreads, String libraryPath, String cacheDir,
        String flavor) {

    /**
     * Resolves a configuration; empty folders default to the assembly's own ({@code karafHome/lib/pytorch} and
     * {@code karafData/djl}), so the engine loads offline even before etc/io.edgeai.djl.cfg is read.
     */
    static DjlSettings of(DjlRuntimeConfig config, int cores, String karafHome, String karafData) {
        String library = blankToEmpty(config.libraryPath());
        String cache = blankToEmpty(config.cacheDir());
        return new DjlSettings(
                config.device() == null ? "auto" : config.device().trim(),
                config.interOpThreads() > 0 ? config.interOpThreads() : 1,
                config.intraOpThreads() > 0 ? config.intraOpThreads() : Math.max(1, cores),
                library.isEmpty() && karafHome != null ? karafHome + "/lib/pytorch" : library,
                cache.isEmpty() && karafData != null ? karafData + "/djl" : cache,
                blankToEmpty(config.flavor()).toLowerCase(java.util.Locale.ROOT));
    }

    /** Settings for this JVM and machine. */
    static DjlSettings of(DjlRuntimeConfig config) {
        return of(config, Runtime.getRuntime().availableProcessors(), System.getProperty("karaf.home"),
                System.getProperty("karaf.data"));
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.trim();
    }
}
