/**
 * Running statistics and quantile sketches the learning steps fit with.
 */
package io.edgeai.preprocess.internal.stats;
