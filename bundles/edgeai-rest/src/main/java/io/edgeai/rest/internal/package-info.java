/**
 * The HTTP admin API: models, training jobs and labels as servlets on the gateway's HTTP context; each is counted as
 * a connector of its own ({@code http-models}, {@code http-training}, {@code http-labels}).
 */
package io.edgeai.rest.internal;
