package io.edgeai.connector.coap.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.DeviceModel;
import io.edgeai.connector.support.PredictRequest;
import io.edgeai.connector.support.ResultJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * {@code {"model", "version", "outputs"}} once the model's batcher computed it, in the ACK of a CON request. Unknown
 * model 4.04, bad input 4.00, a full queue 5.03 with Max-Age, no inference running 5.03; each counted. Asked over
 * plain CoAP from the network: 4.01 unless {@code plainPredict} ({@link DeviceKeys#mayPredict}).
 * <p>
 * Devices fetch models here too: {@code GET /models/{name}} answers the notice of the active version in the device
 * format ({@link DeviceModel#notice}: version, and each file's size and SHA-256), observable (RFC 7641: a promotion or
 * rollback is notified); {@code GET /models/{name}/{file}} answers a file it names ({@code device.json},
 * {@code weights.bin}, the signed {@code manifest.sha256} and {@code manifest.sig}), block-wise when it is larger
 * than a message (RFC 7959). Every answer carries an ETag (the first 8 bytes of the content's SHA-256) and a request
 * that names the current one gets 2.03 Valid without the content.
 */
final class ModelsResource extends CoapResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Observable per-model resources are kept for at most this many model names. */
    static final int MAX_MODELS = 1_000;

    private final DeviceKeys keys;
    private final Supplier<InferenceService> inference;
    private final Supplier<ModelRegistry> registry;
    private final ConnectorCounters counters;
    private final int retryAfterSeconds;
    private final Map<String, ModelResource> models = new ConcurrentHashMap<>();

    ModelsResource(DeviceKeys keys, Supplier<InferenceService> inference, Supplier<ModelRegistry> registry,
            ConnectorCounters counters, int retryAfterSeconds) {
        super("models");
        this.keys = keys;
        this.inference = inference;
        this.registry = registry;
        this.counters = counters;
        this.retryAfterSeconds = retryAfterSeconds;
        getAttributes().setTitle("POST /models/{name}/predict: {\"inputs\": [[...]]}; GET /models/{name}: the model"
                + " for devices, observable");
        getAttributes().addResourceType("edgeai.predict");
        getAttributes().addResourceType("edgeai.model");
    }

    /**
     * Each model the registry knows has a resource of its own below /models, kept so that it can be observed (up to
     * {@link #MAX_MODELS}); any other name gets one that answers and is not kept, so that requests for made-up names
     * cannot crowd out real ones.
     */
    @Override
    public Resource getChild(String name) {
        ModelResource model = models.get(name);
        if (model != null) {
            return model;
        }
        ModelRegistry known = registry.get();
        if (known != null && !known.versions(name).isEmpty() && models.size() < MAX_MODELS) {
            return models.computeIfAbsent(name, ModelResource::new);
        }
        return new ModelResource(name);
    }

    /** The model's active version changed (promoted, rolled back, deleted): its observers are told. */
    void changed(String model) {
        ModelResource resource = models.get(model);
        if (resource != null) {
            resource.current = null;
            resource.changed();
        }
    }

    /** {@code /models/{name}}: the notice, observable; below it predict and the files. */
    private final class ModelResource extends CoapResource {

        private final CoapResource predict;
        private volatile DeviceModel current;

        ModelResource(String name) {
            super(name, false);
            setObservable(true);
            setParent(ModelsResource.this);
            predict = new CoapResource("predict", false) {
                @Override
                public void handlePOST(CoapExchange exchange) {
                    predict(exchange);
                }
            };
            predict.setParent(this);
        }

        @Override
        public Resource getChild(String name) {
            if ("predict".equals(name)) {
                return predict;
            }
            CoapResource file = new CoapResource(name, false) {
                @Override
                public void handleGET(CoapExchange exchange) {
                    fetch(exchange, getName());
                }
            };
            file.setParent(this);
            return file;
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            fetch(exchange, null);
        }

        /** The notice ({@code file} null) or one of the active version's files. */
        private void fetch(CoapExchange exchange, String file) {
            counters.received();
            DeviceModel model;
            try {
                model = deviceModel();
            } catch (IOException e) {
                failed(exchange, "cannot read the model's files: " + e.getMessage());
                return;
            }
            if (model == null) {
                refuse(exchange, RejectReason.UNKNOWN_RESOURCE, ResponseCode.NOT_FOUND, registry.get() == null
                        ? "the model registry is not running (feature edgeai-models)"
                        : "model '" + getName() + "' has no active version in the device format (docs/models.md)");
                return;
            }
            byte[] content;
            int format;
            if (file == null) {
                content = model.notice("/models/" + getName() + "/").getBytes(StandardCharsets.UTF_8);
                format = MediaTypeRegistry.APPLICATION_JSON;
            } else {
                Optional<DeviceModel.File> found = model.file(file);
                if (found.isEmpty()) {
                    refuse(exchange, RejectReason.UNKNOWN_RESOURCE, ResponseCode.NOT_FOUND, "version "
                            + model.version() + " of model '" + getName() + "' has no file '" + file + "'");
                    return;
                }
                try {
                    content = Files.readAllBytes(found.get().location());
                } catch (IOException e) {
                    failed(exchange, "cannot read " + file + ": " + e.getMessage());
                    return;
                }
                format = file.endsWith(".json") ? MediaTypeRegistry.APPLICATION_JSON
                        : file.endsWith(".bin") || file.endsWith(".sig") ? MediaTypeRegistry.APPLICATION_OCTET_STREAM
                        : MediaTypeRegistry.TEXT_PLAIN;
            }
            byte[] etag = etag(content);
            counters.accepted();
            if (exchange.getRequestOptions().containsETag(etag)) {
                Response valid = new Response(ResponseCode.VALID);
                valid.getOptions().addETag(etag);
                exchange.respond(valid);
                return;
            }
            Response response = new Response(ResponseCode.CONTENT);
            response.setPayload(content);
            response.getOptions().setContentFormat(format);
            response.getOptions().addETag(etag);
            exchange.respond(response);
        }

        /** The active version as devices fetch it, read once per version. */
        private DeviceModel deviceModel() throws IOException {
            ModelRegistry models = registry.get();
            if (models == null) {
                return null;
            }
            DeviceModel known = current;
            Optional<io.edgeai.api.model.ModelVersion> active = models.active(getName());
            if (known != null && active.isPresent() && active.get().version() == known.version()) {
                return known;
            }
            known = DeviceModel.active(models, getName()).orElse(null);
            current = known;
            return known;
        }
    }

    /** The first 8 bytes of the content's SHA-256. */
    static byte[] etag(byte[] content) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(content), 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }

    private void predict(CoapExchange exchange) {
        counters.received();
        List<String> path = exchange.getRequestOptions().getUriPath();
        if (path.size() != 3) {
            refuse(exchange, RejectReason.UNKNOWN_RESOURCE, ResponseCode.NOT_FOUND, "POST /models/{name}/predict");
            return;
        }
        DeviceKeys.Refusal refusal = keys.mayPredict(
                exchange.advanced().getRequest().getSourceContext().getPeerIdentity(), exchange.getSourceAddress());
        if (refusal != null) {
            refuse(exchange, RejectReason.UNAUTHORIZED, refusal.code(), refusal.message());
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
            rows = PredictRequest.parse(exchange.getRequestPayload()).withExplainParameter(exchange
                    .getRequestOptions().getUriQuery().stream().filter(q -> q.equals("explain")
                            || q.startsWith("explain=")).map(q -> q.substring(Math.min(q.length(), 8))).findFirst()
                    .orElse(null));
        } catch (IllegalArgumentException e) {
            refuse(exchange, RejectReason.MALFORMED, ResponseCode.BAD_REQUEST, e.getMessage());
            return;
        }
        // answered in the ACK (piggybacked): a prediction takes milliseconds, and a CON retransmission meanwhile is
        // deduplicated by Californium
        rows.ask(service, model).whenComplete((explained, failure) -> {
            if (failure == null) {
                counters.accepted();
                exchange.respond(ResponseCode.CONTENT, ResultJson.prediction(explained).toString(),
                        MediaTypeRegistry.APPLICATION_JSON);
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
