package io.edgeai.connector.coap.internal;

import io.edgeai.api.reading.PayloadFormat;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.Telemetry;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.Drain;
import io.edgeai.connector.support.TelemetryCall;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelExecutionException;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.ConcurrentCoapResource;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /telemetry/{deviceId}}: parses the payload, hands each reading to {@link Telemetry#ENDPOINT} and answers
 * 2.04 with the result only once the route has processed it, so an acknowledged reading is never lost. Every refusal
 * is a 4.xx with a plain-text diagnostic and is counted by reason.
 */
final class TelemetryResource extends ConcurrentCoapResource {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryResource.class);

    private final ReadingParser parser;
    private final TelemetryCall telemetry;
    private final ConnectorCounters counters;
    private final Drain drain;
    private final int maxPayloadBytes;
    private final CoapResource devices;
    private final DeviceKeys keys;

    /**
     * @param workers the threads readings are handled on (each waits while its reading goes through the route), so
     *     that one slow reading does not hold the others up
     */
    TelemetryResource(ReadingParser parser, TelemetryCall telemetry, ConnectorCounters counters, Drain drain,
            int maxPayloadBytes, int threads, ExecutorService workers, DeviceKeys keys) {
        super("telemetry", threads, workers);
        this.parser = parser;
        this.telemetry = telemetry;
        this.counters = counters;
        this.drain = drain;
        this.maxPayloadBytes = maxPayloadBytes;
        this.keys = keys;
        getAttributes().setTitle("POST /telemetry/{deviceId}: JSON (50) or SenML JSON (110) readings");
        getAttributes().addResourceType("edgeai.telemetry");
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_SENML_JSON);
        devices = new CoapResource("device", false) {
            @Override
            public void handlePOST(CoapExchange exchange) {
                receive(exchange);
            }
        };
        devices.setParent(this);
    }

    /** Every {deviceId} below /telemetry is served by the same handler. */
    @Override
    public Resource getChild(String name) {
        return devices;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        counters.received();
        refuse(exchange, RejectReason.UNKNOWN_RESOURCE, "POST to /telemetry/{deviceId}, with the device id");
    }

    private void receive(CoapExchange exchange) {
        byte[] payload = exchange.getRequestPayload();
        if (payload.length > maxPayloadBytes) {
            // counted where every 4.13 is, block-wise ones from Californium included (CoapConnector)
            Response tooLarge = new Response(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
            tooLarge.getOptions().setSize1(maxPayloadBytes);
            tooLarge.setPayload("payload of " + payload.length + " bytes exceeds " + maxPayloadBytes);
            exchange.respond(tooLarge);
            return;
        }
        counters.received();
        if (!drain.enter()) {
            counters.rejected(RejectReason.OVERLOADED);
            exchange.setMaxAge(1);
            exchange.respond(ResponseCode.SERVICE_UNAVAILABLE, "connector restarting, retry in a second",
                    MediaTypeRegistry.TEXT_PLAIN);
            return;
        }
        try {
            List<String> path = exchange.getRequestOptions().getUriPath();
            if (path.size() != 2) {
                refuse(exchange, RejectReason.UNKNOWN_RESOURCE, "POST to /telemetry/{deviceId}");
                return;
            }
            DeviceKeys.Refusal refusal = keys.check(
                    exchange.advanced().getRequest().getSourceContext().getPeerIdentity(), path.get(1));
            if (refusal != null) {
                counters.rejected(RejectReason.UNAUTHORIZED);
                exchange.respond(refusal.code(), refusal.message(), MediaTypeRegistry.TEXT_PLAIN);
                return;
            }
            PayloadFormat format = format(exchange.getRequestOptions().getContentFormat());
            if (format == null) {
                refuse(exchange, RejectReason.UNSUPPORTED_FORMAT, "content-format "
                        + exchange.getRequestOptions().getContentFormat()
                        + " not accepted: use 50 (application/json) or 110 (application/senml+json)");
                return;
            }
            List<Reading> readings = parser.parse(path.get(1), payload, format, Instant.now());
            String result = "";
            for (Reading reading : readings) {
                result = telemetry.send(reading);
            }
            // timed from Californium's receipt of the datagram: the wait for a worker thread counts too
            counters.accepted(System.nanoTime() - (ClockUtil.nanoRealtime()
                    - exchange.advanced().getRequest().getNanoTimestamp()));
            exchange.respond(ResponseCode.CHANGED, result == null ? "" : result, MediaTypeRegistry.APPLICATION_JSON);
        } catch (ReadingRejectedException e) {
            if (e.reason() == RejectReason.OVERLOADED) {
                exchange.setMaxAge(Math.max(1, e.retryAfterSeconds()));
            }
            refuse(exchange, e.reason(), e.getMessage());
        } catch (CamelExecutionException e) {
            counters.failed();
            String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            LOG.warn("Reading from {} failed in the route: {}", exchange.getSourceAddress(), cause);
            exchange.respond(ResponseCode.INTERNAL_SERVER_ERROR, "processing failed: " + cause,
                    MediaTypeRegistry.TEXT_PLAIN);
        } finally {
            drain.exit();
        }
    }

    private void refuse(CoapExchange exchange, RejectReason reason, String message) {
        counters.rejected(reason);
        LOG.debug("Refused {} from {}: {}", reason, exchange.getSourceAddress(), message);
        exchange.respond(code(reason), message, MediaTypeRegistry.TEXT_PLAIN);
    }

    static PayloadFormat format(int contentFormat) {
        if (contentFormat == MediaTypeRegistry.UNDEFINED || contentFormat == MediaTypeRegistry.APPLICATION_JSON) {
            return PayloadFormat.JSON;
        }
        return contentFormat == MediaTypeRegistry.APPLICATION_SENML_JSON ? PayloadFormat.SENML_JSON : null;
    }

    static ResponseCode code(RejectReason reason) {
        return ResponseCode.valueOf(reason.coapCode());
    }
}
