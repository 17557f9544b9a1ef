package io.edgeai.camel.internal;

import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Preprocessed;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.Telemetry;
import io.edgeai.api.routes.EdgeAiHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;

/**
 * {@code edgeai:preprocess/{pipeline}[?optional=true]}: the body, a {@link Reading} (or reading JSON as text or
 * bytes, with the device in header {@link Telemetry#HEADER_DEVICE_ID}), goes through the pipeline; the body becomes
 * the list of {@link io.edgeai.api.preprocess.Features} it completed (empty while a window fills), with headers
 * {@link Pipeline#HEADER_PIPELINE} and {@link Pipeline#HEADER_REVISION}; the reading stays in the exchange property
 * {@link Telemetry#PROPERTY_READING}, the vectors in {@link EdgeAiHeaders#PROPERTY_FEATURES}.
 *
 * <p>A refused reading is an answer, not an exception: headers {@link Telemetry#HEADER_REJECT_REASON} and
 * {@link Telemetry#HEADER_REJECT_MESSAGE} are set and the route stops there; the connector answers the device with
 * the reason's error and counts it. A pipeline that does not exist fails the exchange, unless {@code optional=true}:
 * then the reading passes unchanged.
 */
final class PreprocessStage extends Stage {

    private final String pipeline;

    PreprocessStage(EdgeAiEndpoint endpoint) {
        super(endpoint);
        this.pipeline = name("pipeline", "edgeai:preprocess/default");
    }

    @Override
    Producer producer() {
        return producer(this::preprocess);
    }

    void preprocess(Exchange exchange) throws Exception {
        Reading reading = readingOf(exchange);
        if (reading == null) {
            return;
        }
        Pipeline target = component().pipeline(pipeline);
        if (target == null) {
            if (endpoint.isOptional()) {
                exchange.getMessage().setBody(reading);
                return;
            }
            throw new IllegalStateException("no pipeline '" + pipeline + "': edgeai:pipeline-list shows the"
                    + " pipelines and why a file was refused");
        }
        run(exchange, target, reading);
    }

    /** The reading through the pipeline: what it made, or its refusal (the route stops with the reason). */
    static void run(Exchange exchange, Pipeline target, Reading reading) {
        try {
            made(exchange, target.process(reading));
        } catch (PreprocessException e) {
            refuse(exchange, e.reason(), "pipeline '" + target.name() + "', step " + e.step() + ": "
                    + e.getMessage());
        }
    }

    /**
     * What a pipeline made of the reading: the body becomes its vectors, also kept in
     * {@link EdgeAiHeaders#PROPERTY_FEATURES} for when a later stage replaces the body; headers name the pipeline.
     */
    static void made(Exchange exchange, Preprocessed out) {
        Message message = exchange.getMessage();
        message.setBody(out.features());
        exchange.setProperty(EdgeAiHeaders.PROPERTY_FEATURES, out.features());
        message.setHeader(Pipeline.HEADER_PIPELINE, out.pipeline());
        message.setHeader(Pipeline.HEADER_REVISION, out.revision());
    }
}
