package io.edgeai.api.engine;

/** Life of the engine runtime. */
public enum EngineState {
    /**
     * Not loaded yet, and nothing has needed it: the native libraries load when a model or a training job first needs
     * them ({@link EngineRuntime#start()}). Models can be sent; the first one waits for the load.
     */
    STANDBY,
    /** Native libraries are being loaded; models cannot run yet. */
    LOADING,
    /** The engine computes. */
    READY,
    /** The engine could not be loaded; {@link EngineInfo#reason()} says why. */
    FAILED
}
