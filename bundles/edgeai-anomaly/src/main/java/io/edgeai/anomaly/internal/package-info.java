/**
 * The anomaly watch: per device stream, statistical detectors ({@link io.edgeai.anomaly.internal.detect}) scoring
 * every reading from the stream's first readings on, and a forecaster the gateway trains itself (through the training
 * service) and serves (through the inference service) that joins them once trained.
 */
package io.edgeai.anomaly.internal;
