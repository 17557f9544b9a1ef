/**
 * The anomaly watch: per device stream, a forecaster the gateway trains itself (through the training service) and
 * serves (through the inference service), calibrated on the stream's own errors.
 */
package io.edgeai.anomaly.internal;
