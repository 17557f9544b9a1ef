package io.edgeai.connector.support;

import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.Telemetry;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * How every connector hands a reading to {@link Telemetry#ENDPOINT} and reads the route's answer: one per connector,
 * made from the gateway's CamelContext when it starts and closed when it stops.
 */
public final class TelemetryCall implements AutoCloseable {

    private final ProducerTemplate producer;
    private final String protocol;

    /** Calls into the route of that context for a connector of that protocol ({@code coap}, {@code mqtt}, ...). */
    public TelemetryCall(CamelContext camel, String protocol) {
        this.producer = camel.createProducerTemplate();
        this.protocol = protocol;
    }

    /**
     * Sends one reading through the route.
     *
     * @return the answer for the device: the route's {@code Result} as JSON (or what an integrator's route answers,
     *     as text; empty when it gives none)
     * @throws ReadingRejectedException when a stage of the route refused the reading (the reason and message from
     *     {@link Telemetry#HEADER_REJECT_REASON} and {@link Telemetry#HEADER_REJECT_MESSAGE})
     * @throws CamelExecutionException when the route failed
     */
    public String send(Reading reading) throws ReadingRejectedException {
        Exchange exchange = producer.request(Telemetry.ENDPOINT, e -> {
            e.getMessage().setBody(reading);
            e.getMessage().setHeader(Telemetry.HEADER_DEVICE_ID, reading.deviceId());
            e.getMessage().setHeader(Telemetry.HEADER_PROTOCOL, protocol);
        });
        if (exchange.getException() != null) {
            throw CamelExecutionException.wrapCamelExecutionException(exchange, exchange.getException());
        }
        Message answer = exchange.getMessage();
        Object reason = answer.getHeader(Telemetry.HEADER_REJECT_REASON);
        if (reason != null) {
            RejectReason known = RejectReason.of(reason);
            String message = answer.getHeader(Telemetry.HEADER_REJECT_MESSAGE, String.class);
            Integer retryAfter = answer.getHeader(Telemetry.HEADER_RETRY_AFTER, Integer.class);
            throw new ReadingRejectedException(known, message == null ? "refused: " + reason : message,
                    retryAfter == null ? 0 : retryAfter);
        }
        if (answer.getBody() instanceof io.edgeai.api.reading.Result result) {
            return ResultJson.write(result); // JSON at the edge
        }
        String body = answer.getBody(String.class); // an integrators' route's own answer
        return body == null ? "" : body;
    }

    /** Stops the calls' producer: no reading goes through it afterwards. */
    @Override
    public void close() {
        try {
            producer.stop();
        } catch (RuntimeException e) {
            // stopping a producer whose context is gone
        }
    }
}
