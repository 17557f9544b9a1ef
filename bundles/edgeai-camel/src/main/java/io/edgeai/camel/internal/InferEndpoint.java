package io.edgeai.camel.internal;

import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.Telemetry;
import java.util.List;
import java.util.Optional;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;

/**
 * {@code edgeai:infer/{model}[?optional=true][&skipPipeline=true]}: asks the model's active version for outputs,
 * through the dynamic batcher shared with every other caller. The body is the {@code List<Features>} that
 * {@code edgeai:preprocess} leaves (one row per vector; the newest vector's answer when several), a {@link Features},
 * a {@code float[]} row or {@code float[][]} rows. A version that carries a pipeline runs features and rows through it
 * as every other entry point does ({@link InferenceService#predict(String, float[][])}); {@code skipPipeline=true}
 * hands rows to the model as they are. When the model's {@code model.json} names its input features, they are taken from the
 * vector by name; a vector that lacks one, or has another width than the model takes, is refused (reason
 * missing_field), as is a full queue (overloaded): headers
 * {@link Telemetry#HEADER_REJECT_REASON} and the route stops, like any refusal. The body becomes the
 * {@link Prediction}, with headers {@value #HEADER_MODEL} and {@value #HEADER_VERSION}. An empty list (a window
 * still filling) passes unchanged. An unknown model fails the exchange unless {@code optional=true}.
 */
final class InferEndpoint extends StageEndpoint {

    static final String HEADER_MODEL = io.edgeai.api.routes.EdgeAiHeaders.MODEL;
    static final String HEADER_VERSION = io.edgeai.api.routes.EdgeAiHeaders.MODEL_VERSION;
    static final String HEADER_THRESHOLD = io.edgeai.api.routes.EdgeAiHeaders.MODEL_THRESHOLD;

    private final EdgeAiComponent component;
    private final String model;
    private final boolean optional;
    private final boolean skipPipeline;

    InferEndpoint(String uri, EdgeAiComponent component, String model, boolean optional, boolean skipPipeline) {
        super(uri, component);
        this.skipPipeline = skipPipeline;
        this.component = component;
        this.model = model;
        this.optional = optional;
    }

    @Override
    public Producer createProducer() {
        return asyncProducer(this::infer);
    }

    private boolean infer(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        InferenceService inference = component.inference();
        if (inference == null) {
            return skipOrFail(exchange, callback, "inference is not running (feature edgeai-inference)");
        }
        ModelRegistry registry = component.registry();
        Optional<ModelVersion> active = registry == null ? Optional.empty() : registry.active(model);
        Object body = message.getBody();
        java.util.concurrent.CompletionStage<Prediction> asked;
        if (body instanceof float[][] given) {
            asked = inference.predict(model, given, skipPipeline);
        } else if (body instanceof float[] row) {
            asked = inference.predict(model, new float[][] {row}, skipPipeline);
        } else if (body instanceof Features single) {
            asked = inference.predict(model, single);
        } else if (body instanceof List<?> list && list.stream().allMatch(Features.class::isInstance)) {
            if (list.isEmpty()) {
                callback.done(true); // nothing to ask yet: a window is filling
                return true;
            }
            asked = inference.predict(model, (Features) list.get(list.size() - 1));
        } else {
            exchange.setException(new IllegalArgumentException(getEndpointUri() + " takes the List<Features> of"
                    + " edgeai:preprocess, Features, float[] or float[][]; got "
                    + (body == null ? "no body" : body.getClass().getName())));
            callback.done(true);
            return true;
        }
        return finish(asked.toCompletableFuture(), callback, (prediction, failure) -> complete(exchange, prediction,
                failure, active));
    }

    private void complete(Exchange exchange, Prediction prediction, Throwable failure,
            Optional<ModelVersion> active) {
        Message message = exchange.getMessage();
        if (failure == null) {
            message.setBody(prediction);
            message.setHeader(HEADER_MODEL, prediction.model());
            message.setHeader(HEADER_VERSION, prediction.version());
            active.filter(v -> v.version() == prediction.version()).map(v -> v.metrics().get("threshold"))
                    .ifPresent(t -> message.setHeader(HEADER_THRESHOLD, t));
        } else {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause()
                    != null ? failure.getCause() : failure;
            InferenceException refused = cause instanceof InferenceException e ? e : null;
            boolean unknown = refused != null && refused.reason() == InferenceException.Reason.UNKNOWN_MODEL;
            RejectReason reason = refused == null || unknown ? null : refused.rejectReason(RejectReason.MISSING_FIELD);
            if (reason != null) {
                // a full queue, or a reading that does not carry what the model takes or that the model's own
                // pipeline refused: the device is told, with the reason
                message.setHeader(Telemetry.HEADER_REJECT_REASON, reason.name());
                message.setHeader(Telemetry.HEADER_REJECT_MESSAGE, cause.getMessage());
                if (reason == RejectReason.OVERLOADED) {
                    message.setHeader(Telemetry.HEADER_RETRY_AFTER, refused.retryAfterSeconds());
                }
                exchange.setRouteStop(true);
            } else if (unknown && optional) {
                // passes unchanged
            } else {
                exchange.setException(cause);
            }
        }
    }

    private boolean skipOrFail(Exchange exchange, AsyncCallback callback, String why) {
        if (!optional) {
            exchange.setException(new IllegalStateException(getEndpointUri() + ": " + why));
        }
        callback.done(true);
        return true;
    }
}
