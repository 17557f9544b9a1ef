package io.edgeai.connector.coap.internal;

import io.edgeai.api.reading.LatestResults;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.Result;
import io.edgeai.api.reading.ResultListener;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ResultJson;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code GET /predictions/{deviceId}}: a device's latest result, observable (RFC 7641): each new result is notified to
 * the observers of that device.
 */
final class PredictionsResource extends CoapResource implements ResultListener {

    /** Observable per-device resources are kept for at most this many devices. */
    static final int MAX_DEVICES = 10_000;

    private final LatestResults results;
    private final DeviceKeys keys;
    private final ConnectorCounters counters;
    private final Map<String, DeviceResource> devices = new ConcurrentHashMap<>();

    PredictionsResource(LatestResults results, DeviceKeys keys, ConnectorCounters counters) {
        super("predictions");
        this.results = results;
        this.keys = keys;
        this.counters = counters;
        getAttributes().setTitle("GET /predictions/{deviceId}: the latest result, observable");
        getAttributes().addResourceType("edgeai.predictions");
        getAttributes().setObservable();
    }

    @Override
    public Resource getChild(String deviceId) {
        DeviceResource device = devices.get(deviceId);
        if (device == null && devices.size() < MAX_DEVICES) {
            device = devices.computeIfAbsent(deviceId, DeviceResource::new);
        }
        return device;
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        exchange.respond(ResponseCode.NOT_FOUND, "GET /predictions/{deviceId}", MediaTypeRegistry.TEXT_PLAIN);
    }

    @Override
    public void resultChanged(Result result) {
        DeviceResource device = devices.get(result.deviceId());
        if (device != null) {
            device.changed();
        }
    }

    private final class DeviceResource extends CoapResource {

        DeviceResource(String deviceId) {
            super(deviceId, false);
            setObservable(true);
            setParent(PredictionsResource.this);
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            // a DTLS device reads only its own results; a device with a key has its results read only over DTLS
            DeviceKeys.Refusal refusal = keys.check(
                    exchange.advanced().getRequest().getSourceContext().getPeerIdentity(), getName());
            if (refusal != null) {
                counters.received();
                counters.rejected(RejectReason.UNAUTHORIZED);
                exchange.respond(refusal.code(), refusal.message(), MediaTypeRegistry.TEXT_PLAIN);
                return;
            }
            results.latest(getName()).ifPresentOrElse(
                    result -> exchange.respond(ResponseCode.CONTENT, ResultJson.write(result),
                            MediaTypeRegistry.APPLICATION_JSON),
                    () -> exchange.respond(ResponseCode.NOT_FOUND, "no result yet for device " + getName(),
                            MediaTypeRegistry.TEXT_PLAIN));
        }
    }
}
