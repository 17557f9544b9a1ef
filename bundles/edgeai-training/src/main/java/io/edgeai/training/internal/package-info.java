/**
 * Training jobs with DJL (specs, data, runs, export as model archives, auto-promote's comparison) and the anomaly
 * watch that learns each device stream. Nothing is exported: other bundles use {@link io.edgeai.api.training}.
 */
package io.edgeai.training.internal;
