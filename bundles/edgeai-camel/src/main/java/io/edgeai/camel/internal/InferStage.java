package io.edgeai.camel.internal;

import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.inference.Prediction;
import io.edgeai.api.inference.ReadingPrediction;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.Telemetry;
import io.edgeai.api.routes.EdgeAiHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;

/**
 * {@code edgeai:infer/{model}[?optional=true][&pipeline=default][&skipPipeline=true][&explain=true]}: asks the model's active version,
 * through the dynamic batcher shared with every other caller; the body becomes the {@link Prediction}, with headers
 * {@link EdgeAiHeaders#MODEL}, {@link EdgeAiHeaders#MODEL_VERSION} (and {@link EdgeAiHeaders#MODEL_THRESHOLD} when the
 * version's metrics carry one); with {@code explain=true}, {@link EdgeAiHeaders#EXPLANATIONS} says why. The body may be:
 * <ul>
 * <li>a {@link Reading} (or reading JSON with header {@link Telemetry#HEADER_DEVICE_ID}): it goes through one pipeline,
 * once: the version's own when its archive carries one, else the one named by {@code pipeline}, else none; headers
 * {@link EdgeAiHeaders#PIPELINE} and {@link EdgeAiHeaders#PIPELINE_REVISION} and the property
 * {@link EdgeAiHeaders#PROPERTY_FEATURES} say what it became, as after {@code edgeai:preprocess};</li>
 * <li>the {@code List<Features>} of {@code edgeai:preprocess} (the newest vector) or a {@link Features}: the model's
 * input, taken by the feature names of its {@code model.json}; a version with its own pipeline refuses features that
 * another pipeline made;</li>
 * <li>a {@code float[]} row or {@code float[][]} rows: readings for the version's pipeline by its
 * {@code pipelineInputs}, or the model's own inputs with {@code skipPipeline=true}.</li>
 * </ul>
 * A refusal (a pipeline's reason, a missing feature, a full queue) sets {@link Telemetry#HEADER_REJECT_REASON} and
 * stops the route; an empty list or no output yet (a window still filling) passes unchanged. An unknown model fails
 * the exchange unless {@code optional=true}: then a reading still goes through {@code pipeline}, and any other body
 * passes unchanged.
 */
final class InferStage extends Stage {

    private final String model;

    InferStage(EdgeAiEndpoint endpoint) {
        super(endpoint);
        this.model = name("model", "edgeai:infer/flow");
    }

    @Override
    Producer producer() {
        return asyncProducer(this::infer);
    }

    private boolean infer(Exchange exchange, AsyncCallback callback) {
        try {
            return ask(exchange, callback);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    private boolean ask(Exchange exchange, AsyncCallback callback) throws Exception {
        Message message = exchange.getMessage();
        InferenceService inference = component().inference();
        Object body = message.getBody();
        if (inference == null) {
            if (!endpoint.isOptional()) {
                throw new IllegalStateException(uri() + ": inference is not running (feature edgeai-inference)");
            }
            if (isReading(body)) {
                preprocessInstead(exchange);
            }
            callback.done(true);
            return true;
        }
        boolean skip = endpoint.isSkipPipeline();
        CompletableFuture<Prediction> asked;
        if (body instanceof float[][] || body instanceof float[]) {
            float[][] rows = body instanceof float[][] given ? given : new float[][] {(float[]) body};
            asked = !endpoint.isExplain() ? inference.predict(model, rows, skip).toCompletableFuture()
                    : inference.explain(model, rows, skip).toCompletableFuture().thenApply(answer -> {
                        exchange.getMessage().setHeader(EdgeAiHeaders.EXPLANATIONS,
                                new ArrayList<>(answer.explanations()));
                        return answer.prediction();
                    });
        } else if (body instanceof Features single) {
            asked = explained(exchange, inference, inference.predict(model, single).toCompletableFuture(),
                    prediction -> prediction, prediction -> single);
        } else if (body instanceof List<?> list && list.stream().allMatch(Features.class::isInstance)) {
            if (list.isEmpty()) {
                callback.done(true); // nothing to ask yet: a window is filling
                return true;
            }
            Features newest = (Features) list.get(list.size() - 1);
            asked = explained(exchange, inference, inference.predict(model, newest).toCompletableFuture(),
                    prediction -> prediction, prediction -> newest);
        } else {
            Reading reading = readingOf(exchange);
            if (reading == null) {
                callback.done(true);
                return true;
            }
            Pipeline orElse = fallback();
            return finish(explained(exchange, inference, inference.predict(model, reading, orElse)
                    .toCompletableFuture(), ReadingPrediction::prediction, answer -> answer.preprocessed() == null
                    ? Features.of(reading) : answer.preprocessed().features().isEmpty() ? null
                    : answer.preprocessed().features().get(answer.preprocessed().features().size() - 1)), callback,
                    (answer, failure) -> {
                        if (failure == null && answer.preprocessed() != null) {
                            PreprocessStage.made(exchange, answer.preprocessed());
                        }
                        complete(exchange, failure == null ? answer.prediction() : null, failure,
                                failure == null ? answer.threshold() : null);
                    });
        }
        // rows and vectors: the threshold of the version active when asked (the answer names the version)
        ModelRegistry registry = component().registry();
        Optional<ModelVersion> active = registry == null ? Optional.empty() : registry.active(model);
        return finish(asked, callback, (prediction, failure) -> complete(exchange, prediction,
                failure, prediction == null ? null : active.filter(v -> v.version() == prediction.version())
                        .map(v -> v.metrics().get("threshold")).orElse(null)));
    }

    /**
     * With {@code explain=true}: the answer once the explanation of the vector it was made from is there too (in header
     * {@link EdgeAiHeaders#EXPLANATIONS}); a failed explanation fails the answer as a failed prediction would. Without
     * it, or when the model gave no output (a window filling), the answer as it is.
     */
    private <T> CompletableFuture<T> explained(Exchange exchange, InferenceService inference,
            CompletableFuture<T> answer, Function<T, Prediction> prediction, Function<T, Features> input) {
        if (!endpoint.isExplain()) {
            return answer;
        }
        return answer.thenCompose(value -> {
            Features asked = input.apply(value);
            if (prediction.apply(value).outputs().length == 0 || asked == null) {
                return CompletableFuture.completedFuture(value);
            }
            return inference.explain(model, asked).toCompletableFuture().thenApply(why -> {
                exchange.getMessage().setHeader(EdgeAiHeaders.EXPLANATIONS, List.of(why));
                return value;
            });
        });
    }

    private static boolean isReading(Object body) {
        return body instanceof Reading || body instanceof String || body instanceof byte[];
    }

    /** The pipeline named by {@code pipeline}, or null when none is named (or, if optional, it is not there). */
    private Pipeline fallback() {
        String name = endpoint.getPipeline();
        if (name == null || name.isBlank()) {
            return null;
        }
        Pipeline pipeline = component().pipeline(name);
        if (pipeline == null && !endpoint.isOptional()) {
            throw new IllegalStateException(uri() + ": no pipeline '" + name + "': edgeai:pipeline-list shows the"
                    + " pipelines and why a file was refused");
        }
        return pipeline;
    }

    /** No model answers: the reading goes through {@code pipeline} as {@code edgeai:preprocess} would, or passes. */
    private void preprocessInstead(Exchange exchange) throws Exception {
        Reading reading = readingOf(exchange);
        Pipeline orElse = reading == null ? null : fallback();
        if (orElse != null) {
            PreprocessStage.run(exchange, orElse, reading);
        } else if (reading != null) {
            exchange.getMessage().setBody(reading);
        }
    }

    private void complete(Exchange exchange, Prediction prediction, Throwable failure, Double threshold) {
        Message message = exchange.getMessage();
        if (failure == null) {
            if (prediction.outputs().length == 0) {
                return; // a window still filling: the body is what the pipeline made (nothing yet)
            }
            message.setBody(prediction);
            message.setHeader(EdgeAiHeaders.MODEL, prediction.model());
            message.setHeader(EdgeAiHeaders.MODEL_VERSION, prediction.version());
            if (threshold != null) {
                message.setHeader(EdgeAiHeaders.MODEL_THRESHOLD, threshold);
            }
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        InferenceException refused = cause instanceof InferenceException e ? e : null;
        boolean unknown = refused != null && refused.reason() == InferenceException.Reason.UNKNOWN_MODEL;
        RejectReason reason = refused == null || unknown ? null : refused.rejectReason(RejectReason.MISSING_FIELD);
        if (reason != null) {
            // a full queue, or a reading that does not carry what the model takes or that the pipeline refused: the
            // device is told, with the reason
            refuse(exchange, reason, cause.getMessage());
            if (reason == RejectReason.OVERLOADED) {
                message.setHeader(Telemetry.HEADER_RETRY_AFTER, refused.retryAfterSeconds());
            }
        } else if (unknown && endpoint.isOptional()) {
            if (isReading(message.getBody())) {
                try {
                    preprocessInstead(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
            }
        } else {
            exchange.setException(cause);
        }
    }
}
