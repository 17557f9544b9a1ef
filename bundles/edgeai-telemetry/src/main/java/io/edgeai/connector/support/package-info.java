/**
 * What a protocol connector is built with, in one place: {@link io.edgeai.connector.support.ConnectorSupport} (its
 * {@code Connector} service, named once, with its counts), {@link io.edgeai.connector.support.ConnectorCounters}
 * (received, accepted, refused by reason, failed: counted alike by every connector),
 * {@link io.edgeai.connector.support.TelemetryCall} (a reading into the gateway's route and the answer back),
 * {@link io.edgeai.connector.support.Drain} (requests in flight finish before a connector stops),
 * {@link io.edgeai.connector.support.ResultJson} (a result as the JSON a device gets: the one writer, at the edge; and as uplinks send it),
 * {@link io.edgeai.connector.support.PredictRequest} (the body of a predict request) and
 * {@link io.edgeai.connector.support.DeviceModel} (a model as devices fetch it). A new connector needs nothing
 * else of the gateway but the API.
 */
@Export
@Version("2.4.0")
package io.edgeai.connector.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
