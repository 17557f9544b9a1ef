/**
 * Drift: each model input's and output's live distribution against its training reference (KS and PSI).
 */
package io.edgeai.monitoring.internal.drift;
