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
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code edgeai:infer/{model}[?optional=true]}: asks the model's active version for outputs, through the dynamic
 * batcher shared with every other caller. The body is the {@code List<Features>} that {@code edgeai:preprocess} leaves
 * (one row per vector; the newest vector's answer when several), a {@link Features}, a {@code float[]} row or
 * {@code float[][]} rows. When the model's {@code model.json} names its input features, they are taken from the
 * vector by name; a vector that lacks one, or has another width than the model takes, is refused (reason
 * missing_field), as is a full queue (overloaded): headers
 * {@link Telemetry#HEADER_REJECT_REASON} and the route stops, like any refusal. The body becomes the
 * {@link Prediction}, with headers {@value #HEADER_MODEL} and {@value #HEADER_VERSION}. An empty list (a window
 * still filling) passes unchanged. An unknown model fails the exchange unless {@code optional=true}.
 */
final class InferEndpoint extends DefaultEndpoint {

    static final String HEADER_MODEL = "EdgeAiModel";
    static final String HEADER_VERSION = "EdgeAiModelVersion";
    static final String HEADER_THRESHOLD = "EdgeAiModelThreshold";

    private final EdgeAiComponent component;
    private final String model;
    private final boolean optional;

    InferEndpoint(String uri, EdgeAiComponent component, String model, boolean optional) {
        super(uri, component);
        this.component = component;
        this.model = model;
        this.optional = optional;
    }

    @Override
    public Producer createProducer() {
        return new DefaultAsyncProducer(this) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return infer(exchange, callback);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " processes messages: use it in to(), not from()");
    }

    private boolean infer(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        InferenceService inference = component.inference();
        if (inference == null) {
            return skipOrFail(exchange, callback, "inference is not running (feature edgeai-inference)");
        }
        ModelRegistry registry = component.registry();
        Optional<ModelVersion> active = registry == null ? Optional.empty() : registry.active(model);
        float[][] rows;
        try {
            rows = rows(message.getBody(), active);
        } catch (MissingFeature e) {
            message.setHeader(Telemetry.HEADER_REJECT_REASON, RejectReason.MISSING_FIELD.name());
            message.setHeader(Telemetry.HEADER_REJECT_MESSAGE, "model '" + model + "': " + e.getMessage());
            exchange.setRouteStop(true);
            callback.done(true);
            return true;
        } catch (IllegalArgumentException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (rows == null) {
            callback.done(true); // nothing to ask yet: a window is filling
            return true;
        }
        inference.predict(model, rows).whenComplete((prediction, failure) -> {
            if (failure == null) {
                message.setBody(prediction);
                message.setHeader(HEADER_MODEL, prediction.model());
                message.setHeader(HEADER_VERSION, prediction.version());
                active.map(v -> v.metrics().get("threshold")).ifPresent(t -> message.setHeader(HEADER_THRESHOLD, t));
            } else {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause()
                        != null ? failure.getCause() : failure;
                if (cause instanceof InferenceException refused
                        && refused.reason() == InferenceException.Reason.OVERLOADED) {
                    message.setHeader(Telemetry.HEADER_REJECT_REASON, RejectReason.OVERLOADED.name());
                    message.setHeader(Telemetry.HEADER_REJECT_MESSAGE, refused.getMessage());
                    exchange.setRouteStop(true);
                } else if (cause instanceof InferenceException refused
                        && refused.reason() == InferenceException.Reason.BAD_INPUT) {
                    // the reading does not carry what the model takes: the device is told, as for a missing field
                    message.setHeader(Telemetry.HEADER_REJECT_REASON, RejectReason.MISSING_FIELD.name());
                    message.setHeader(Telemetry.HEADER_REJECT_MESSAGE, refused.getMessage());
                    exchange.setRouteStop(true);
                } else if (cause instanceof InferenceException refused
                        && refused.reason() == InferenceException.Reason.UNKNOWN_MODEL && optional) {
                    // passes unchanged
                } else {
                    exchange.setException(cause);
                }
            }
            callback.done(false);
        });
        return false;
    }

    private boolean skipOrFail(Exchange exchange, AsyncCallback callback, String why) {
        if (!optional) {
            exchange.setException(new IllegalStateException(getEndpointUri() + ": " + why));
        }
        callback.done(true);
        return true;
    }

    /** A vector lacks a feature the model takes by name. */
    private static final class MissingFeature extends Exception {
        private static final long serialVersionUID = 1L;

        MissingFeature(String message) {
            super(message);
        }
    }

    /** The rows to ask for, or null when there is nothing to ask (an empty list). */
    private float[][] rows(Object body, Optional<ModelVersion> active) throws MissingFeature {
        if (body instanceof float[][] given) {
            return given;
        }
        if (body instanceof float[] row) {
            return new float[][] {row};
        }
        Features vector;
        if (body instanceof Features single) {
            vector = single;
        } else if (body instanceof List<?> list && list.stream().allMatch(Features.class::isInstance)) {
            if (list.isEmpty()) {
                return null;
            }
            vector = (Features) list.get(list.size() - 1);
        } else {
            throw new IllegalArgumentException(getEndpointUri() + " takes the List<Features> of edgeai:preprocess,"
                    + " Features, float[] or float[][]; got " + (body == null ? "no body" : body.getClass().getName()));
        }
        List<String> names = active.map(v -> v.spec().inputFeatures()).orElse(List.of());
        if (names.isEmpty()) {
            return new float[][] {vector.values()};
        }
        float[] all = vector.values();
        float[] row = new float[names.size()];
        for (int i = 0; i < names.size(); i++) {
            int at = vector.names().indexOf(names.get(i));
            if (at < 0) {
                throw new MissingFeature("the reading has no '" + names.get(i) + "' (the model takes " + names + ")");
            }
            row[i] = all[at];
        }
        return new float[][] {row};
    }
}
