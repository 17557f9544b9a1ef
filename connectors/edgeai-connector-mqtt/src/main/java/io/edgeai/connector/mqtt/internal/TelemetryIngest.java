package io.edgeai.connector.mqtt.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.monitoring.Labels;
import io.edgeai.api.reading.PayloadFormat;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.Telemetry;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.TelemetryCall;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.camel.CamelExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes telemetry publishes from the broker's durable ingest queue, one at a time and in order, hands each reading to
 * {@link Telemetry#ENDPOINT}, publishes the answer on {@code edgeai/predictions/{deviceId}} (or the refusal on
 * {@code edgeai/errors/{deviceId}}) and only then acknowledges it to the broker. What the broker acknowledged to a
 * device therefore stays in the queue, on disk for QoS 1, until the gateway has processed it, across updates and
 * restarts of this connector.
 *
 * <p>An overloaded model does not lose a reading either: the device hears of it once on its error topic ({@code
 * "reason":"overloaded"}, {@code retryAfterSeconds}, {@code "kept":true}), and the reading is tried again, waiting
 * longer each time, while later publishes wait in the durable queue. A stop meanwhile leaves the message
 * unacknowledged, so the broker hands it over again (readings of a batch that were already processed then run twice:
 * at least once, never lost).
 *
 * <p>The connector runs a second one on the labels queue ({@code edgeai/labels/{deviceId}}): the same ordered,
 * acknowledge-after-processing loop, each label handed to live accuracy ({@link Labels}) instead of the route.
 */
final class TelemetryIngest implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryIngest.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Set by MQTT 5 publishers that declare a content type. */
    private static final SimpleString CONTENT_TYPE = SimpleString.of("mqtt.content.type");
    private static final long POLL_MILLIS = 200;
    private static final long FIRST_RETRY_MILLIS = 5;
    private static final long LAST_RETRY_MILLIS = 500;

    /** Where the messages come from: a durable queue of the broker (answers go back through it), and its topics. */
    record Source(QueueFeed feed, Topics topics) {
    }

    /**
     * What a message becomes: a reading parsed (at most {@code maxPayloadBytes}), counted and handed to the route, or
     * a label handed to live accuracy while there is one.
     */
    record Intake(ReadingParser parser, TelemetryCall telemetry, ConnectorCounters counters, int maxPayloadBytes,
            Supplier<Labels> labels) {
    }

    /**
     * How long the loop waits at its start for {@link #await}: readings queued across a restart wait until the uplink
     * that must forward their results is up, not longer (an uplink that cannot start must not stop the ingest).
     */
    static final long READY_WAIT_MILLIS = 30_000;

    private final QueueFeed feed;
    private final Topics topics;
    private final ReadingParser parser;
    private final TelemetryCall telemetry;
    private final ConnectorCounters counters;
    private final int maxPayloadBytes;
    private final Supplier<Labels> labels;
    private final Thread thread;
    private volatile ReadyGate ready = new ReadyGate(() -> true);
    private volatile boolean running = true;
    private volatile String failure;

    /** A loop called {@code name} (its thread: edgeai-mqtt-{name}) from that source into that intake. */
    TelemetryIngest(String name, Source from, Intake into) {
        this.feed = from.feed();
        this.topics = from.topics();
        this.parser = into.parser();
        this.telemetry = into.telemetry();
        this.counters = into.counters();
        this.maxPayloadBytes = into.maxPayloadBytes();
        this.labels = into.labels();
        this.thread = new Thread(this, "edgeai-mqtt-" + name);
        thread.setDaemon(true);
    }

    /**
     * Before its first message, the loop waits until {@code ready} says so (at most {@link #READY_WAIT_MILLIS}): checked
     * at {@link #recheck()}, and every second.
     */
    TelemetryIngest await(java.util.function.BooleanSupplier ready) {
        this.ready = new ReadyGate(ready);
        return this;
    }

    /** What the start's wait depends on changed (the uplink came up): the loop checks again now. */
    void recheck() {
        ready.recheck();
    }

    void start() {
        thread.start();
    }

    /** True once ready; false when the wait ran out or the loop was stopped. */
    private boolean waitUntilReady() throws InterruptedException {
        return ready.await(READY_WAIT_MILLIS, () -> !running) && running;
    }

    /** Why the loop stopped on its own, or null while it runs. */
    String failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            if (!waitUntilReady() && running) {
                LOG.warn("MQTT {}: the uplink is configured but not up after {} s; processing without it (the results"
                        + " of these readings are not forwarded)", thread.getName(), READY_WAIT_MILLIS / 1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.warn("MQTT {}: could not tell whether the uplink is up ({}); processing", thread.getName(), e.toString());
        }
        while (running) {
            try {
                MessageReference next = feed.take(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (next == null) {
                    continue;
                }
                if (!handle(next.getMessage().toCore())) {
                    return; // stopped while the model was overloaded: the broker keeps the message
                }
                feed.acknowledge(next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failure = "stopped by an unexpected error: " + e;
                LOG.error("MQTT ingest {}", failure, e);
                return;
            } catch (Exception e) { // the feed is lost, or the broker refused the acknowledgement
                if (running) {
                    failure = "lost the broker: " + e.getMessage();
                    LOG.warn("MQTT ingest stopped, {}", failure);
                }
                return;
            }
        }
    }

    /**
     * Stops taking readings after the one in hand, then gives what the broker handed over and was not acknowledged
     * back to the queue; true when the one in hand finished within the timeout (else it goes back too, and runs again).
     */
    boolean stop(long timeout, TimeUnit unit) throws InterruptedException {
        running = false;
        ready.recheck(); // a loop still waiting for the uplink ends its wait
        try {
            thread.join(unit.toMillis(timeout));
            return !thread.isAlive();
        } finally {
            feed.close();
        }
    }

    /**
     * When the broker took the publish, on {@link System#nanoTime()}'s scale: the message's timestamp (milliseconds)
     * when it has one, so that the time it spent journaled and queued counts; else now.
     */
    private static long arrival(Message message) {
        long now = System.nanoTime();
        long stamped = message.getTimestamp();
        if (stamped <= 0) {
            return now;
        }
        long ago = Math.max(0, System.currentTimeMillis() - stamped);
        return now - TimeUnit.MILLISECONDS.toNanos(ago);
    }

    /** Handles one publish; false when stopped before it was processed (it must not be acknowledged then). */
    private boolean handle(ICoreMessage message) {
        long arrived = arrival(message);
        counters.received();
        String topic = topics.topic(message.getAddress());
        if (topic != null && topic.startsWith(Topics.LABELS)) {
            label(message, topic);
            return true;
        }
        String device = Topics.device(topic, Topics.TELEMETRY);
        if (device == null) {
            refuse(firstLevel(topic), topic, RejectReason.UNKNOWN_RESOURCE,
                    "publish readings to edgeai/telemetry/{deviceId} (one topic level after edgeai/telemetry/)");
            return true;
        }
        int size = message.getBodyBufferSize();
        if (size > maxPayloadBytes) {
            refuse(device, topic, RejectReason.TOO_LARGE, "payload of " + size + " bytes exceeds " + maxPayloadBytes);
            return true;
        }
        byte[] body = body(message);
        PayloadFormat format = format(message);
        if (format == null) {
            refuse(device, topic, RejectReason.UNSUPPORTED_FORMAT, "content type '"
                    + message.getStringProperty(CONTENT_TYPE) + "' not accepted: use application/json or "
                    + "application/senml+json");
            return true;
        }
        try {
            String result = "";
            boolean told = false;
            for (Reading reading : parser.parse(device, body, format, Instant.now())) {
                long pause = FIRST_RETRY_MILLIS;
                while (true) {
                    try {
                        result = telemetry.send(reading);
                        break;
                    } catch (ReadingRejectedException e) {
                        if (e.reason() != RejectReason.OVERLOADED) {
                            throw e;
                        }
                        if (!told) {
                            told = true;
                            commitAcknowledgements(); // the readings before this one leave the queue meanwhile
                            counters.deferred(RejectReason.OVERLOADED);
                            overloaded(device, topic, e);
                        }
                        if (!pause(pause)) {
                            return false;
                        }
                        pause = Math.min(LAST_RETRY_MILLIS, pause * 2);
                    }
                }
            }
            counters.accepted(arrived);
            publish(topics.address(Topics.PREDICTIONS + device), result == null ? "" : result);
        } catch (ReadingRejectedException e) {
            refuse(device, topic, e.reason(), e.getMessage());
        } catch (CamelExecutionException e) {
            counters.failed();
            String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            LOG.warn("Reading from MQTT device {} failed in the route: {}", device, cause);
            error(device, topic, "failed", cause);
        }
        return true;
    }

    private void commitAcknowledgements() {
        try {
            feed.commitAcknowledgements();
        } catch (Exception e) {
            LOG.debug("MQTT {}: acknowledgements not committed yet ({}); the next one commits them", thread.getName(),
                    e.toString());
        }
    }

    /** Waits before the next try; false when the connector is stopping (or the thread interrupted). */
    private boolean pause(long millis) {
        try {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (running && System.nanoTime() < until) {
                TimeUnit.NANOSECONDS.sleep(Math.min(until - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void overloaded(String device, String topic, ReadingRejectedException e) {
        ObjectNode error = MAPPER.createObjectNode();
        error.put("deviceId", device);
        error.put("topic", topic);
        error.put("reason", RejectReason.OVERLOADED.metricTag());
        error.put("detail", e.getMessage() + "; the reading is kept and processed as soon as the model has room");
        error.put("retryAfterSeconds", Math.max(1, e.retryAfterSeconds()));
        error.put("kept", true);
        publish(topics.address(Topics.errorTopic(device)), error.toString());
    }

    /**
     * A label ({@code {"ts", "value"}}) for live accuracy: joined with the device's answer; a refusal (not JSON, no
     * value, no answer to join, monitoring not installed) goes to the device's error topic and is counted.
     */
    private void label(ICoreMessage message, String topic) {
        String device = Topics.device(topic, Topics.LABELS);
        if (device == null) {
            refuse(null, topic, RejectReason.UNKNOWN_RESOURCE, "publish labels to edgeai/labels/{deviceId}");
            return;
        }
        if (message.getBodyBufferSize() > maxPayloadBytes) {
            refuse(device, topic, RejectReason.TOO_LARGE, "payload of " + message.getBodyBufferSize() + " bytes exceeds "
                    + maxPayloadBytes);
            return;
        }
        Labels joiner = labels.get();
        if (joiner == null) {
            refuse(device, topic, RejectReason.UNKNOWN_RESOURCE, "live accuracy is not installed (feature"
                    + " edgeai-monitoring): labels are not kept");
            return;
        }
        byte[] body = body(message);
        try {
            joiner.label(device, body);
            counters.accepted(arrival(message));
        } catch (ReadingRejectedException e) {
            refuse(device, topic, e.reason(), e.getMessage());
        }
    }

    /** JSON unless an MQTT 5 publisher declared another content type. */
    private static PayloadFormat format(Message message) {
        String type = message.getStringProperty(CONTENT_TYPE);
        if (type == null || type.isBlank()) {
            return PayloadFormat.JSON;
        }
        return switch (type.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT)) {
            case "application/json" -> PayloadFormat.JSON;
            case "application/senml+json" -> PayloadFormat.SENML_JSON;
            default -> null;
        };
    }

    private void refuse(String device, String topic, RejectReason reason, String detail) {
        counters.rejected(reason);
        error(device, topic, reason.metricTag(), detail);
    }

    private void error(String device, String topic, String reason, String detail) {
        ObjectNode error = MAPPER.createObjectNode();
        if (device != null) {
            error.put("deviceId", device);
        }
        error.put("topic", topic);
        error.put("reason", reason);
        error.put("detail", detail);
        publish(topics.address(Topics.errorTopic(device)), error.toString());
    }

    /** The payload, read without moving the broker's own buffer (the message may be delivered again). */
    private static byte[] body(ICoreMessage message) {
        var buffer = message.getReadOnlyBodyBuffer();
        byte[] body = new byte[buffer.readableBytes()];
        buffer.readBytes(body);
        return body;
    }

    private void publish(String address, String json) {
        try {
            feed.publish(address, json.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            LOG.warn("Could not publish on {}: {}", topics.topic(address), e.getMessage());
        }
    }

    /** For edgeai/telemetry/d1/x: d1, so that the device hears of its mistake. */
    private static String firstLevel(String topic) {
        if (topic == null || !topic.startsWith(Topics.TELEMETRY)) {
            return null;
        }
        String rest = topic.substring(Topics.TELEMETRY.length());
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        return first.isEmpty() || first.contains("+") || first.contains("#") ? null : first;
    }
}
