package io.edgeai.api.engine;

/** Life of the engine runtime. */
public enum EngineState {
    /** Native libraries are being loaded; models cannot run yet. */
    LOADING,
    /** The engine computes. */
    READY,
    /** The engine could not be loaded; {@link EngineInfo#reason()} says why. */
    FAILED
}
