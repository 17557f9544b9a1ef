/**
 * Live accuracy: a model's answers joined with the labels that arrive later, per version, in a sliding window.
 */
package io.edgeai.monitoring.internal.accuracy;
