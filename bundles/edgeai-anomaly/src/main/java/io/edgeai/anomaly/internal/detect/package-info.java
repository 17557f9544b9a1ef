/**
 * The anomaly watch's statistical detectors, plain Java without the engine: per value, level, shift, spread, step,
 * shape discord and hour-of-day measures ({@code ValueDetectors}), each calibrated into a tail probability against the
 * stream's own recent measures ({@code TailCalibration}), combined into one score per reading
 * ({@link io.edgeai.anomaly.internal.detect.StreamScorer}) and turned into anomaly episodes with one alert each
 * ({@link io.edgeai.anomaly.internal.detect.Episodes}). Bounded in memory and time per reading by
 * {@link io.edgeai.anomaly.internal.detect.DetectorSettings}.
 */
package io.edgeai.anomaly.internal.detect;
