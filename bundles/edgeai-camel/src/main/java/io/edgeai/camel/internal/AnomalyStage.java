package io.edgeai.camel.internal;

import io.edgeai.api.anomaly.AnomalyVerdict;
import io.edgeai.api.anomaly.AnomalyWatch;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.routes.EdgeAiHeaders;
import java.util.List;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;

/**
 * {@code edgeai:anomaly[?optional=true]}: the anomaly watch's verdict on a device stream's newest features. The body
 * is the {@code List<Features>} of {@code edgeai:preprocess} (the newest vector; an empty list, a window still
 * filling, passes unchanged), a {@link Features} or a {@link Reading}; it becomes the {@link AnomalyVerdict}, with
 * headers {@link EdgeAiHeaders#ANOMALY}, {@link EdgeAiHeaders#ANOMALY_ALERT} and {@link EdgeAiHeaders#ANOMALY_SCORE}
 * (only when the reading was scored; during an episode also {@link EdgeAiHeaders#ANOMALY_CONTRIBUTIONS} and
 * {@link EdgeAiHeaders#ANOMALY_CAUSE}), {@value InferEndpoint#HEADER_MODEL}
 * and {@link EdgeAiHeaders#MODEL_VERSION}. Without the watch (feature edgeai-anomaly) the exchange fails, unless
 * {@code optional=true}: then the body passes unchanged.
 */
final class AnomalyStage extends Stage {

    AnomalyStage(EdgeAiEndpoint endpoint) {
        super(endpoint);
        if (endpoint.getName() != null && !endpoint.getName().isEmpty()) {
            throw new IllegalArgumentException(uri() + ": the anomaly watch takes no name (edgeai:anomaly); it"
                    + " watches each device's stream");
        }
    }

    @Override
    Producer producer() {
        return asyncProducer(this::observe);
    }

    private boolean observe(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        Features features = features(message.getBody());
        AnomalyWatch watch = component().anomalyWatch();
        if (features == null || watch == null) {
            if (features == null && !(message.getBody() instanceof List<?>)) {
                exchange.setException(new IllegalArgumentException(uri() + " takes the List<Features> of"
                        + " edgeai:preprocess, Features or a Reading; got " + (message.getBody() == null ? "no body"
                        : message.getBody().getClass().getName())));
            } else if (features != null && !endpoint.isOptional()) {
                exchange.setException(new IllegalStateException(uri()
                        + ": the anomaly watch is not running (feature edgeai-anomaly)"));
            }
            callback.done(true);
            return true;
        }
        return finish(watch.observe(features).toCompletableFuture(), callback, (verdict, failure) -> {
            if (failure != null) {
                exchange.setException(failure);
            } else {
                answer(message, verdict);
            }
        });
    }

    private static void answer(Message message, AnomalyVerdict verdict) {
        message.setBody(verdict);
        if (verdict.scored()) {
            verdictHeaders(message, verdict);
            message.setHeader(EdgeAiHeaders.MODEL, verdict.model());
            message.setHeader(EdgeAiHeaders.MODEL_VERSION, verdict.version());
        }
    }

    /**
     * The headers of a scored verdict: episode, alert, score, and during an episode the values that drove it (all of
     * them, largest first) and the one that drove it most.
     */
    static void verdictHeaders(Message message, AnomalyVerdict verdict) {
        message.setHeader(EdgeAiHeaders.ANOMALY, verdict.anomaly());
        message.setHeader(EdgeAiHeaders.ANOMALY_ALERT, verdict.alert());
        message.setHeader(EdgeAiHeaders.ANOMALY_SCORE, verdict.score());
        if (!verdict.contributions().isEmpty()) {
            message.setHeader(EdgeAiHeaders.ANOMALY_CONTRIBUTIONS, verdict.contributions());
            message.setHeader(EdgeAiHeaders.ANOMALY_CAUSE, verdict.contributions().keySet().iterator().next());
        }
    }

    /** The newest vector of the body; null for an empty list (a window filling) or a body of another kind. */
    private static Features features(Object body) {
        if (body instanceof Features single) {
            return single;
        }
        if (body instanceof List<?> list && !list.isEmpty() && list.get(list.size() - 1) instanceof Features last) {
            return last;
        }
        if (body instanceof Reading reading) {
            return Features.of(reading);
        }
        return null;
    }
}
