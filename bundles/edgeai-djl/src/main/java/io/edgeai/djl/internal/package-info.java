/**
 * Loading the PyTorch engine inside OSGi: offline settings, device choice, thread counts and the context class loader
 * that DJL's engine discovery needs. Nothing here is exported; the engine is seen as
 * {@link io.edgeai.api.engine.EngineRuntime}.
 */
package io.edgeai.djl.internal;
