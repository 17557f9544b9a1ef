/**
 * Monitoring: the metrics registry and its Prometheus scrape, health, the dashboard and its data, drift and live
 * accuracy as prediction listeners. Nothing is exported: what it serves is HTTP (docs/monitoring.md).
 */
package io.edgeai.monitoring.internal;
