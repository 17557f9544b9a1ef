package io.edgeai.camel.internal;

import io.edgeai.api.reading.PayloadFormat;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.Telemetry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultProducer;

/**
 * What one {@code edgeai:} stage does behind its endpoint. Each stage is made by name ({@link EdgeAiComponent#STAGES})
 * once the endpoint's options are set, checks the options it takes, and finds the gateway's services when each
 * message passes.
 */
abstract class Stage {

    /** Names a pipeline or a model may have. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+");

    final EdgeAiEndpoint endpoint;

    Stage(EdgeAiEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    EdgeAiComponent component() {
        return endpoint.getComponent();
    }

    String uri() {
        return endpoint.getEndpointUri();
    }

    /** The endpoint's name, checked: what it names ("pipeline", "model"), and an example. */
    String name(String what, String example) {
        String name = endpoint.getName();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(uri() + ": name the " + what + ", as in " + example);
        }
        return name;
    }

    abstract Producer producer() throws Exception;

    Consumer consumer(Processor processor) throws Exception {
        throw new UnsupportedOperationException(uri() + " processes messages: use it in to(), not from()");
    }

    /** A stage that answers through Camel's callback, so that no route thread waits for a model. */
    interface AsyncStep {
        /** As {@link org.apache.camel.AsyncProcessor#process(Exchange, AsyncCallback)}. */
        boolean process(Exchange exchange, AsyncCallback callback);
    }

    /** A stage's step on the route's thread. */
    interface SyncStep {
        void process(Exchange exchange) throws Exception;
    }

    Producer asyncProducer(AsyncStep step) {
        return new DefaultAsyncProducer(endpoint) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return step.process(exchange, callback);
            }
        };
    }

    Producer producer(SyncStep step) {
        return new DefaultProducer(endpoint) {
            @Override
            public void process(Exchange exchange) throws Exception {
                step.process(exchange);
            }
        };
    }

    /**
     * Ends an asynchronous stage with its answer: at once on this thread when it is already there (a refusal, a
     * stream still learning: no thread switch), else on the thread that completes it.
     *
     * @param apply puts the answer (or the failure) on the exchange
     * @return what {@link AsyncStep#process} returns
     */
    static <T> boolean finish(CompletableFuture<T> answer, AsyncCallback callback, BiConsumer<T, Throwable> apply) {
        boolean now = answer.isDone();
        answer.whenComplete((value, failure) -> {
            apply.accept(value, failure);
            callback.done(now);
        });
        return now;
    }

    /**
     * The body as a reading, also kept in {@link Telemetry#PROPERTY_READING}; null when it was refused (the route
     * stops with the reason).
     */
    Reading readingOf(Exchange exchange) throws Exception {
        try {
            Reading reading = reading(exchange.getMessage());
            exchange.setProperty(Telemetry.PROPERTY_READING, reading);
            return reading;
        } catch (ReadingRejectedException e) {
            refuse(exchange, e.reason(), e.getMessage());
            return null;
        }
    }

    private Reading reading(Message message) throws ReadingRejectedException {
        Object body = message.getBody();
        if (body instanceof Reading reading) {
            return reading;
        }
        byte[] payload = body instanceof byte[] bytes ? bytes : body instanceof String text
                ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
        String device = message.getHeader(Telemetry.HEADER_DEVICE_ID, String.class);
        if (payload == null || device == null) {
            throw new IllegalArgumentException(uri() + " takes a Reading, or reading JSON with header "
                    + Telemetry.HEADER_DEVICE_ID + "; got " + (body == null ? "no body" : body.getClass().getName())
                    + (device == null ? " and no device id" : ""));
        }
        ReadingParser parser = component().parser();
        if (parser == null) {
            throw new IllegalStateException("no reading parser: is bundle edgeai-telemetry running?");
        }
        List<Reading> readings = parser.parse(device, payload, PayloadFormat.JSON, Instant.now());
        if (readings.size() != 1) {
            throw new ReadingRejectedException(RejectReason.MALFORMED, "one reading per message, got "
                    + readings.size());
        }
        return readings.get(0);
    }

    /** A refusal is an answer: the reason and message as headers, and the route stops there. */
    static void refuse(Exchange exchange, RejectReason reason, String message) {
        exchange.getMessage().setHeader(Telemetry.HEADER_REJECT_REASON, reason.name());
        exchange.getMessage().setHeader(Telemetry.HEADER_REJECT_MESSAGE, message);
        exchange.setRouteStop(true);
    }
}
