package io.edgeai.api.engine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The deep-learning engine, loaded once per JVM. Registered at once, with the service property {@link #STATE_PROPERTY}
 * updated as it goes: {@code STANDBY} while nothing has needed the engine (its native libraries are not loaded, to keep
 * an idle gateway small), then {@code LOADING}, {@code READY} or {@code FAILED}. A consumer that computes binds with
 * the filter {@code (!(engine.state=FAILED))} and calls {@link #start()} before its first use of DJL; one that only
 * shows the engine waits for {@code (engine.state=READY)}.
 */
@ProviderType
public interface EngineRuntime {

    /** Service property holding {@link EngineState#name()}. */
    String STATE_PROPERTY = "engine.state";

    /** Service property holding the engine name. */
    String NAME_PROPERTY = "engine.name";

    /** The engine as it is now. */
    EngineInfo info();

    /**
     * Loads the engine unless it is loaded or loading, and completes when it is ready, with its info; exceptionally, with
     * an {@link IllegalStateException} giving the reason, when it cannot start. Nothing may call DJL before this
     * completed: DJL finds its engine once per JVM, and only the runtime knows how to do that inside OSGi.
     */
    java.util.concurrent.CompletionStage<EngineInfo> start();
}
