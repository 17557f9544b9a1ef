package io.edgeai.camel.internal;

import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Preprocessed;
import io.edgeai.api.reading.PayloadFormat;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.Telemetry;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code edgeai:preprocess/{pipeline}[?optional=true]}: the body, a {@link Reading} (or reading JSON as text or
 * bytes, with the device in header {@link Telemetry#HEADER_DEVICE_ID}), goes through the pipeline; the body becomes
 * the list of {@link io.edgeai.api.preprocess.Features} it completed (empty while a window fills), with headers
 * {@link Pipeline#HEADER_PIPELINE} and {@link Pipeline#HEADER_REVISION}; the reading stays in the exchange property
 * {@link Telemetry#PROPERTY_READING}.
 *
 * <p>A refused reading is an answer, not an exception: headers {@link Telemetry#HEADER_REJECT_REASON} and
 * {@link Telemetry#HEADER_REJECT_MESSAGE} are set and the route stops there; the connector answers the device with
 * the reason's error and counts it. A pipeline that does not exist fails the exchange, unless {@code optional=true}:
 * then the reading passes unchanged.
 */
final class PreprocessEndpoint extends StageEndpoint {

    private final EdgeAiComponent component;
    private final String pipeline;
    private final boolean optional;

    PreprocessEndpoint(String uri, EdgeAiComponent component, String pipeline, boolean optional) {
        super(uri, component);
        this.component = component;
        this.pipeline = pipeline;
        this.optional = optional;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) throws Exception {
                preprocess(exchange);
            }
        };
    }

    void preprocess(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Reading reading;
        try {
            reading = reading(message);
        } catch (ReadingRejectedException e) {
            refuse(exchange, e.reason(), e.getMessage());
            return;
        }
        exchange.setProperty(Telemetry.PROPERTY_READING, reading);
        Pipeline target = component.pipeline(pipeline);
        if (target == null) {
            if (optional) {
                message.setBody(reading);
                return;
            }
            throw new IllegalStateException("no pipeline '" + pipeline + "': edgeai:pipeline-list shows the"
                    + " pipelines and why a file was refused");
        }
        try {
            Preprocessed out = target.process(reading);
            message.setBody(out.features());
            message.setHeader(Pipeline.HEADER_PIPELINE, out.pipeline());
            message.setHeader(Pipeline.HEADER_REVISION, out.revision());
        } catch (PreprocessException e) {
            refuse(exchange, e.reason(), "pipeline '" + pipeline + "', step " + e.step() + ": " + e.getMessage());
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
            throw new IllegalArgumentException(getEndpointUri() + " takes a Reading, or reading JSON with header "
                    + Telemetry.HEADER_DEVICE_ID + "; got " + (body == null ? "no body" : body.getClass().getName())
                    + (device == null ? " and no device id" : ""));
        }
        ReadingParser parser = component.parser();
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

    private static void refuse(Exchange exchange, RejectReason reason, String message) {
        exchange.getMessage().setHeader(Telemetry.HEADER_REJECT_REASON, reason.name());
        exchange.getMessage().setHeader(Telemetry.HEADER_REJECT_MESSAGE, message);
        exchange.setRouteStop(true);
    }
}
