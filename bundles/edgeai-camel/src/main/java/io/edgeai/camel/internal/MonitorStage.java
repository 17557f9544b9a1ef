package io.edgeai.camel.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.monitoring.EdgeAiEvents;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultConsumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * {@code from("edgeai:monitor/{model}")}: what the gateway announces about a model, as messages a route can act on.
 * By default its drift events (a model input or output that starts or stops drifting) and the retraining started
 * because of one; {@code events=drift,retrain,model,training} picks the kinds ({@code model}: versions registered,
 * promoted, rolled back, deleted; {@code training}: jobs finished). {@code edgeai:monitor/*} hears every model. The
 * body is the event as JSON ({@code {"topic": "io/edgeai/monitoring/DRIFT", "model": "flow", "version": 3,
 * "feature": "input:temperature", "drifting": true, "ks": 0.31, ...}}); each property is also a header,
 * {@code EdgeAi} and its capitalised name ({@code EdgeAiModel}, {@code EdgeAiDrifting}), and {@code EdgeAiTopic} the
 * topic.
 */
final class MonitorStage extends Stage {

    /** What {@code events=} may name, and the EventAdmin topics each stands for. */
    static final Map<String, List<String>> KINDS = Map.of(
            "drift", List.of(EdgeAiEvents.DRIFT_DETECTED),
            "retrain", List.of(EdgeAiEvents.RETRAIN_STARTED),
            "model", List.of(EdgeAiEvents.MODEL_REGISTERED, EdgeAiEvents.MODEL_PROMOTED,
                    EdgeAiEvents.MODEL_ROLLED_BACK, EdgeAiEvents.MODEL_DELETED),
            "training", List.of(EdgeAiEvents.JOB_FINISHED));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BundleContext context;
    private final String model;
    private final List<String> topics;

    MonitorStage(EdgeAiEndpoint endpoint) {
        super(endpoint);
        this.context = endpoint.getComponent().bundleContext();
        this.model = "*".equals(endpoint.getName()) ? "*" : name("model", "edgeai:monitor/flow (or * for every"
                + " model)");
        List<String> kinds = new java.util.ArrayList<>();
        for (String kind : endpoint.getEvents().split(",")) {
            List<String> known = KINDS.get(kind.trim());
            if (known == null) {
                throw new IllegalArgumentException(uri() + ": events=" + kind.trim() + " is not one of "
                        + new java.util.TreeSet<>(KINDS.keySet()));
            }
            kinds.addAll(known);
        }
        this.topics = kinds;
    }

    @Override
    Producer producer() {
        throw new UnsupportedOperationException(uri() + " announces what happens to a model: use it in"
                + " from(), not to()");
    }

    @Override
    Consumer consumer(Processor processor) {
        return new Announcements(endpoint, processor);
    }

    /** Listens on EventAdmin while its route runs; each event is one exchange, processed on EventAdmin's thread. */
    private final class Announcements extends DefaultConsumer implements EventHandler {

        private ServiceRegistration<EventHandler> registration;

        Announcements(EdgeAiEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(EventConstants.EVENT_TOPIC, topics.toArray(new String[0]));
            if (!"*".equals(model)) {
                properties.put(EventConstants.EVENT_FILTER, "(" + EdgeAiEvents.PROP_MODEL + "=" + model + ")");
            }
            registration = context.registerService(EventHandler.class, this, properties);
        }

        @Override
        protected void doStop() throws Exception {
            if (registration != null) {
                registration.unregister();
                registration = null;
            }
            super.doStop();
        }

        @Override
        public void handleEvent(Event event) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("topic", event.getTopic());
            Exchange exchange = createExchange(false);
            Message message = exchange.getMessage();
            message.setHeader(io.edgeai.api.routes.EdgeAiHeaders.TOPIC, event.getTopic());
            for (String name : event.getPropertyNames()) {
                if (name.equals(EventConstants.EVENT_TOPIC)) {
                    continue;
                }
                Object value = event.getProperty(name);
                body.put(name, value);
                message.setHeader(io.edgeai.api.routes.EdgeAiHeaders.PREFIX + Character.toUpperCase(name.charAt(0)) + name.substring(1), value);
            }
            try {
                message.setBody(JSON.writeValueAsString(body));
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("edgeai:monitor route failed on " + event.getTopic(), exchange,
                        exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }
}
