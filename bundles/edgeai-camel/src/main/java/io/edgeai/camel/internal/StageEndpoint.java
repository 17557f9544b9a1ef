package io.edgeai.camel.internal;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultEndpoint;

/** An {@code edgeai:} stage: it processes the messages a route sends it and never starts a route itself. */
abstract class StageEndpoint extends DefaultEndpoint {

    StageEndpoint(String uri, EdgeAiComponent component) {
        super(uri, component);
    }

    @Override
    public final Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " processes messages: use it in to(), not from()");
    }
}
