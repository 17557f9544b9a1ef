package io.edgeai.camel.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultEndpoint;

/** An {@code edgeai:} stage: it processes the messages a route sends it and never starts a route itself. */
abstract class StageEndpoint extends DefaultEndpoint {

    StageEndpoint(String uri, EdgeAiComponent component) {
        super(uri, component);
    }

    /** A stage that answers through Camel's callback, so that no route thread waits for a model. */
    interface AsyncStage {
        /** As {@link org.apache.camel.AsyncProcessor#process(Exchange, AsyncCallback)}. */
        boolean process(Exchange exchange, AsyncCallback callback);
    }

    /** The producer of an asynchronous stage. */
    Producer asyncProducer(AsyncStage stage) {
        return new DefaultAsyncProducer(this) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return stage.process(exchange, callback);
            }
        };
    }

    /**
     * Ends an asynchronous stage with its answer: at once on this thread when it is already there (a refusal, a
     * stream still learning: no thread switch), else on the thread that completes it.
     *
     * @param apply puts the answer (or the failure) on the exchange
     * @return what {@link AsyncStage#process} returns
     */
    static <T> boolean finish(CompletableFuture<T> answer, AsyncCallback callback, BiConsumer<T, Throwable> apply) {
        boolean now = answer.isDone();
        answer.whenComplete((value, failure) -> {
            apply.accept(value, failure);
            callback.done(now);
        });
        return now;
    }

    @Override
    public final Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " processes messages: use it in to(), not from()");
    }
}
