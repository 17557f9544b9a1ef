package io.edgeai.djl.internal;

import ai.djl.engine.Engine;

/**
 * The one place that knows how DJL must be started inside OSGi.
 *
 * <p>DJL finds engines with {@link java.util.ServiceLoader} on the thread context class loader, and remembers a failure
 * for the life of the JVM; so the first call runs with the class loader of the bundle that embeds DJL. Everything that
 * would make DJL reach for the network or the user's home is pinned by system properties before that first call
 * (DJL reads only environment variables and system properties).
 */
final class EngineLoader {

    static final String ENGINE_NAME = "PyTorch";
    /** The libtorch version DJL's JNI glue in the assembly is built for. */
    static final String LIBTORCH_VERSION = "2.7.1";

    private EngineLoader() {
    }

    static Engine load(DjlSettings settings) {
        System.setProperty("ai.djl.offline", "true");
        setUnlessEnvironment("PYTORCH_LIBRARY_PATH", settings.libraryPath());
        // a CUDA build: DJL takes the JNI glue of its flavor (from its JNI jar, offline) for the version it was built
        // against; a CPU folder as the assembly ships it holds its glue and needs neither
        LibTorch library = LibTorch.of(settings);
        String flavor = !settings.flavor().isEmpty() || library.cuda() ? library.flavor() : "";
        if (!flavor.isEmpty()) {
            setUnlessEnvironment("PYTORCH_FLAVOR", flavor);
            setUnlessEnvironment("PYTORCH_VERSION", library.version().isEmpty() ? LIBTORCH_VERSION
                    : library.version());
        }
        setUnlessEnvironment("DJL_CACHE_DIR", settings.cacheDir());
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(settings.interOpThreads()));
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(settings.intraOpThreads()));

        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Engine.class.getClassLoader());
        try {
            return Engine.getEngine(ENGINE_NAME);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The libtorch folder the engine loads: PYTORCH_LIBRARY_PATH when set in the environment, else the configured. */
    static String libraryFolder(DjlSettings settings) {
        String fromEnvironment = System.getenv("PYTORCH_LIBRARY_PATH");
        return fromEnvironment != null && !fromEnvironment.isEmpty() ? fromEnvironment : settings.libraryPath();
    }

    private static void setUnlessEnvironment(String name, String value) {
        String fromEnvironment = System.getenv(name);
        if (!value.isEmpty() && (fromEnvironment == null || fromEnvironment.isEmpty())) {
            System.setProperty(name, value);
        }
    }
}
