package io.edgeai.connector.coap.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.PredictRequest;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code POST /models/{name}/predict} with {@code {"inputs": [[...], ...]}}: answers 2.05 with
 * {@code {"model", "version", "outputs"}} once the model's batcher computed it, in the ACK of a CON request. Unknown model 4.04, bad input 4.00, a full queue 5.03 with Max-Age,
 * no inference running 5.03; each counted.
 */
final class ModelsResource extends CoapResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<InferenceService> inference;
    private final ConnectorCounters counters;
    private final int retryAfterSeconds;
    private final CoapResource names;

    ModelsResource(Supplier<InferenceService> inference, ConnectorCounters counters, int retryAfterSeconds) {
        super("models");
        this.inference = inference;
        this.counters = counters;
        this.retryAfterSeconds = retryAfterSeconds;
        getAttributes().setTitle("POST /models/{name}/predict: {\"inputs\": [[...]]}");
        getAttributes().addResourceType("edgeai.predict");
        CoapResource predict = new CoapResource("predict", false) {
            @Override
            public void handlePOST(CoapExchange exchange) {
                predict(exchange);
            }
        };
        names = new CoapResource("model", false) {
            @Override
            public Resource getChild(String name) {
                return "predict".equals(name) ? predict : null;
            }
        };
        names.setParent(this);
        predict.setParent(names);
    }

    /** Every {name} below /models is served by the same resources. */
    @Override
    public Resource getChild(String name) {
        return names;
    }

    private void predict(CoapExchange exchange) {
        counters.received();
        List<String> path = exchange.getRequestOptions().getUriPath();
        if (path.size() != 3) {
            refuse(exchange, RejectReason.UNKNOWN_RESOURCE, ResponseCode.NOT_FOUND, "POST /models/{name}/predict");
            return;
        }
        String model = path.get(1);
        InferenceService service = inference.get();
        if (service == null) {
            refuse(exchange, RejectReason.OVERLOADED, ResponseCode.SERVICE_UNAVAILABLE,
                    "inference is not running (feature edgeai-inference)");
            return;
        }
        PredictRequest rows;
        try {
            rows = PredictRequest.parse(exchange.getRequestPayload());
        } catch (IllegalArgumentException e) {
            refuse(exchange, RejectReason.MALFORMED, ResponseCode.BAD_REQUEST, e.getMessage());
            return;
        }
        // answered in the ACK (piggybacked): a prediction takes milliseconds, and a CON retransmission meanwhile is
        // deduplicated by Californium
        service.predict(model, rows.rows(), rows.skipPipeline()).whenComplete((prediction, failure) -> {
            if (failure == null) {
                ObjectNode answer = JSON.createObjectNode();
                answer.put("model", prediction.model());
                answer.put("version", prediction.version());
                answer.set("outputs", JSON.valueToTree(prediction.outputs()));
                counters.accepted();
                exchange.respond(ResponseCode.CONTENT, answer.toString(), MediaTypeRegistry.APPLICATION_JSON);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof InferenceException refused) {
                RejectReason reason = refused.rejectReason(RejectReason.MALFORMED);
                if (reason == null) {
                    failed(exchange, refused.getMessage());
                } else {
                    refuse(exchange, reason, ResponseCode.valueOf(reason.coapCode()), refused.getMessage(),
                            refused.retryAfterSeconds());
                }
            } else {
                failed(exchange, String.valueOf(cause));
            }
        });
    }

    private void refuse(CoapExchange exchange, RejectReason reason, ResponseCode code, String message) {
        refuse(exchange, reason, code, message, retryAfterSeconds);
    }

    /** A 5.03 carries Max-Age: the seconds the client should wait before asking again (RFC 7252, 5.9.3.4). */
    private void refuse(CoapExchange exchange, RejectReason reason, ResponseCode code, String message,
            int retryAfter) {
        counters.rejected(reason);
        Response response = new Response(code);
        response.setPayload(message);
        response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
        if (code == ResponseCode.SERVICE_UNAVAILABLE) {
            response.getOptions().setMaxAge(Math.max(1, retryAfter));
        }
        exchange.respond(response);
    }

    private void failed(CoapExchange exchange, String message) {
        counters.failed();
        exchange.respond(ResponseCode.INTERNAL_SERVER_ERROR, message, MediaTypeRegistry.TEXT_PLAIN);
    }
}
