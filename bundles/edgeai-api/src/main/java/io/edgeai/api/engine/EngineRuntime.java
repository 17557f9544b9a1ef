package io.edgeai.api.engine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The deep-learning engine, loaded once per JVM. Registered as soon as loading starts, with the service property
 * {@link #STATE_PROPERTY} updated as it goes, so a consumer can wait with the filter {@code (engine.state=READY)}.
 */
@ProviderType
public interface EngineRuntime {

    /** Service property holding {@link EngineState#name()}. */
    String STATE_PROPERTY = "engine.state";

    /** Service property holding the engine name. */
    String NAME_PROPERTY = "engine.name";

    /** The engine as it is now. */
    EngineInfo info();
}
