package io.edgeai.camel.internal;

import io.edgeai.api.anomaly.AnomalyVerdict;
import io.edgeai.api.reading.Result;
import io.edgeai.api.reading.ResultListener;
import io.edgeai.api.routes.EdgeAiHeaders;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("edgeai:results")}: every result the gateway answers a device with (whatever route made it, over every
 * protocol), as messages a route can act on beside the default route, which stays as it is; {@code
 * edgeai:results/{device}} hears one device. The body is the {@link Result} (JSON wherever a route asks for text);
 * headers name the device, the model and version that answered, and the anomaly watch's verdict ({@code
 * EdgeAiAnomalyAlert} only on the reading that opened an episode; during an episode {@code EdgeAiAnomalyCause} names
 * the value that drove it most). Results are handed to the route on a thread of its
 * own through a queue of {@code queueSize}: a slow route never holds up a device's answer; when the queue is full a
 * result is dropped for this route, counted and logged (at most once a minute). A tap, not a store: what must reach a
 * far end through outages goes through an uplink (MQTT or Kafka), which keeps it on disk.
 */
final class ResultsStage extends Stage {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsStage.class);

    private final String device;

    ResultsStage(EdgeAiEndpoint endpoint) {
        super(endpoint);
        String name = endpoint.getName();
        this.device = name == null || name.isEmpty() || "*".equals(name) ? null : name("device",
                "edgeai:results/pump-1 (or edgeai:results for every device)");
        if (endpoint.getQueueSize() < 1) {
            throw new IllegalArgumentException(uri() + ": queueSize must be at least 1");
        }
    }

    @Override
    Producer producer() {
        throw new UnsupportedOperationException(uri() + " hears the gateway's results: use it in from(), not to()");
    }

    @Override
    Consumer consumer(Processor processor) {
        return new Tap(endpoint, processor);
    }

    /** A result listener while its route runs. */
    private final class Tap extends DefaultConsumer implements ResultListener {

        private final LongAdder dropped = new LongAdder();
        private final AtomicLong lastWarning = new AtomicLong();
        private ExecutorService executor;
        private ServiceRegistration<ResultListener> registration;

        Tap(EdgeAiEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            var profile = new org.apache.camel.builder.ThreadPoolProfileBuilder("edgeai-results").poolSize(1)
                    .maxPoolSize(1).maxQueueSize(endpoint.getQueueSize())
                    .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build();
            executor = getEndpoint().getCamelContext().getExecutorServiceManager().newThreadPool(this,
                    "edgeai-results", profile);
            registration = component().bundleContext().registerService(ResultListener.class, this, null);
        }

        @Override
        protected void doStop() throws Exception {
            if (registration != null) {
                registration.unregister();
                registration = null;
            }
            if (executor != null) {
                // what is queued still goes through the route
                getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor,
                        TimeUnit.SECONDS.toMillis(10));
                executor = null;
            }
            super.doStop();
        }

        @Override
        public void resultChanged(Result result) {
            if (device != null && !device.equals(result.deviceId())) {
                return;
            }
            ExecutorService running = executor;
            if (running == null) {
                return;
            }
            try {
                running.execute(() -> deliver(result));
            } catch (RejectedExecutionException e) {
                dropped.increment();
                long now = System.nanoTime();
                long last = lastWarning.get();
                if ((last == 0 || now - last > TimeUnit.MINUTES.toNanos(1)) && lastWarning.compareAndSet(last, now)) {
                    LOG.warn("{}: its route is slower than results come; {} results dropped for it so far (queueSize"
                            + " {})", uri(), dropped.sum(), endpoint.getQueueSize());
                }
            }
        }

        private void deliver(Result result) {
            Exchange exchange = createExchange(false);
            Message message = exchange.getMessage();
            message.setBody(result);
            message.setHeader(EdgeAiHeaders.DEVICE_ID, result.deviceId());
            if (result.pipeline() != null) {
                message.setHeader(EdgeAiHeaders.PIPELINE, result.pipeline());
            }
            if (result.prediction() != null) {
                message.setHeader(EdgeAiHeaders.MODEL, result.prediction().model());
                message.setHeader(EdgeAiHeaders.MODEL_VERSION, result.prediction().version());
            }
            AnomalyVerdict verdict = result.verdict();
            if (verdict != null && verdict.scored()) {
                AnomalyStage.verdictHeaders(message, verdict);
            }
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException(uri() + ": the route failed on a result of "
                        + result.deviceId(), exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }
}
