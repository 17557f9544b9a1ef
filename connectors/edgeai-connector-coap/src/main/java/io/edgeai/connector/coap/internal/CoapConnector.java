package io.edgeai.connector.coap.internal;

import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.monitoring.EdgeAiEvents;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.reading.LatestResults;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.ResultListener;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ConnectorSupport;
import io.edgeai.connector.support.Drain;
import io.edgeai.connector.support.TelemetryCall;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.InMemoryMessageExchangeStore;
import org.eclipse.californium.core.network.MessageExchangeStore;
import org.eclipse.californium.core.network.deduplication.SweepPerPeerDeduplicator;
import org.eclipse.californium.core.network.interceptors.MalformedMessageInterceptor;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;
import org.eclipse.californium.core.server.DelivererException;
import org.eclipse.californium.core.server.ServerMessageDeliverer;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP connector: a Californium server on the configured UDP port. A port that cannot be bound leaves the
 * connector DOWN with the reason (edgeai:connector-list, edgeai:status), never an exception out of activation.
 */
@Component(service = {}, immediate = true, configurationPid = "io.edgeai.connector.coap")
@Designate(ocd = CoapConnectorConfig.class)
public class CoapConnector {

    private static final Logger LOG = LoggerFactory.getLogger(CoapConnector.class);

    static {
        CoapConfig.register();
        UdpConfig.register();
    }

    private final ConnectorSupport connector;
    private final ConnectorCounters counters;
    private final Drain drain = new Drain();
    private final ExecutorService workers;
    private final CoapConnectorConfig config;
    private final TelemetryCall telemetry;
    private final CoapServer server;
    private final ServiceRegistration<ResultListener> listener;
    private final ServiceRegistration<EventHandler> modelEvents;
    private volatile String endpoint;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile InferenceService inference;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Recorder recorder;

    @Activate
    public CoapConnector(BundleContext bundleContext,
            @Reference(target = "(camel.context.name=edgeai)") CamelContext camel,
            @Reference ReadingParser parser, @Reference LatestResults results, CoapConnectorConfig config) {
        this.config = config;
        this.connector = new ConnectorSupport("coap", () -> recorder).endpoint(() -> endpoint);
        this.counters = connector.counters();
        this.telemetry = new TelemetryCall(camel, "coap");
        Configuration coap = Configuration.createStandardWithoutFile();
        coap.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, config.maxPayloadBytes());
        // a retransmitted request is recognised among each device's last 64 messages (Californium's default keeps
        // every exchange for EXCHANGE_LIFETIME, 247 s: at thousands of requests a second that alone fills the
        // gateway's heap; coap.sh found it), and among maxRememberedRequests in all (exchangeStore)
        coap.set(CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES, 64);
        server = new CoapServer(coap);
        server.setMessageDeliverer(new CountingDeliverer(server.getRoot(), coap));
        String pskFile = config.pskFile().isBlank()
                ? System.getProperty("karaf.etc", "etc") + "/edgeai-coap-psk.properties" : config.pskFile();
        DeviceKeys keys = new DeviceKeys(java.nio.file.Path.of(pskFile), config.plainForKeyedDevices(),
                config.plainPredict(), config.dtlsPort());
        PredictionsResource predictions = new PredictionsResource(results, keys, counters);
        int threads = config.workerThreads() > 0 ? config.workerThreads()
                : 4 * Runtime.getRuntime().availableProcessors();
        AtomicInteger names = new AtomicInteger();
        workers = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "edgeai-coap-telemetry-" + names.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ModelsResource models = new ModelsResource(keys, () -> inference, () -> registry, counters, 1);
        server.add(new TelemetryResource(parser, telemetry, counters, drain, config.maxPayloadBytes(), threads,
                workers, keys), predictions, models);
        listener = bundleContext.registerService(ResultListener.class, predictions, null);
        // a model's observers are told when its active version changes
        java.util.Hashtable<String, Object> topics = new java.util.Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, new String[] {EdgeAiEvents.MODEL_PROMOTED,
            EdgeAiEvents.MODEL_ROLLED_BACK, EdgeAiEvents.MODEL_DELETED});
        modelEvents = bundleContext.registerService(EventHandler.class,
                event -> models.changed(String.valueOf(event.getProperty(EdgeAiEvents.PROP_MODEL))), topics);
        endpoint = "coap://" + config.bindAddress() + ":" + config.port();
        try {
            CoapEndpoint udp = CoapEndpoint.builder().setConfiguration(coap)
                    .setInetSocketAddress(new InetSocketAddress(config.bindAddress(), config.port()))
                    .setMessageExchangeStore(exchangeStore(coap, "coap")).build();
            udp.addInterceptor(tooLargeCounter());
            udp.addPostProcessInterceptor(new MalformedCounter());
            server.addEndpoint(udp);
            String dtlsInfo = "";
            CoapEndpoint dtls = null;
            if (config.dtlsPort() >= 0) {
                dtls = DtlsEndpoint.create(coap, new InetSocketAddress(config.bindAddress(), config.dtlsPort()), keys,
                        exchangeStore(coap, "coaps"));
                dtls.addInterceptor(tooLargeCounter());
                dtls.addPostProcessInterceptor(new MalformedCounter());
                server.addEndpoint(dtls);
                dtlsInfo = " (device keys from " + java.nio.file.Path.of(pskFile).getFileName() + ", read live)";
            }
            server.start();
            endpoint = "coap://" + config.bindAddress() + ":" + udp.getAddress().getPort()
                    + (dtls == null ? "" : " coaps://" + config.bindAddress() + ":" + dtls.getAddress().getPort());
            connector.up("listening on " + endpoint + dtlsInfo);
            LOG.info("CoAP connector listening on {}{}", endpoint, dtlsInfo);
        } catch (RuntimeException e) {
            String reason = "cannot listen on " + endpoint + ": " + e.getMessage();
            connector.down(reason);
            LOG.error("CoAP connector DOWN: {}", reason);
        }
        connector.publish(bundleContext); // once it knows where it listens and how it is
    }

    /**
     * Californium's exchange store, recognising retransmitted requests among each peer's last 64 and at most
     * {@code maxRememberedRequests} in all (BoundedDeduplicator: every source port is a peer to Californium, and a flood
     * from many ports filled the heap).
     */
    private MessageExchangeStore exchangeStore(Configuration coap, String scheme) {
        InMemoryMessageExchangeStore store = new InMemoryMessageExchangeStore(coap);
        store.setDeduplicator(new BoundedDeduplicator(new SweepPerPeerDeduplicator(coap),
                config.maxRememberedRequests(), scheme));
        return store;
    }

    /** Counts every 4.13, also those Californium's block-wise layer sends before a resource sees the request. */
    private MessageInterceptorAdapter tooLargeCounter() {
        return new MessageInterceptorAdapter() {
            @Override
            public void sendResponse(Response response) {
                if (response.getCode() == ResponseCode.REQUEST_ENTITY_TOO_LARGE) {
                    counters.received();
                    counters.rejected(RejectReason.TOO_LARGE);
                }
            }
        };
    }

    /**
     * Counts every datagram that is no CoAP message (Californium drops it, or answers RST, before any layer sees it);
     * Californium tells only post-processing interceptors of them.
     */
    private final class MalformedCounter extends MessageInterceptorAdapter implements MalformedMessageInterceptor {

        @Override
        public void receivedMalformedMessage(RawData raw) {
            counters.rejected(RejectReason.MALFORMED_DATAGRAM); // not a request: nothing was received
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        boolean drained = drain.close(config.drainTimeoutSeconds(), TimeUnit.SECONDS);
        if (!drained) {
            LOG.warn("CoAP connector stopped with requests still in flight after {} s", config.drainTimeoutSeconds());
        }
        listener.unregister();
        modelEvents.unregister();
        server.destroy();
        workers.shutdown();
        telemetry.close();
        connector.down("stopped");
        connector.close();
        LOG.info("CoAP connector on {} stopped", endpoint);
    }

    /** Counts requests for paths the gateway does not serve; Californium answers them 4.04. */
    private final class CountingDeliverer extends ServerMessageDeliverer {

        CountingDeliverer(Resource root, Configuration config) {
            super(root, config);
        }

        @Override
        protected Resource findResource(Exchange exchange) throws DelivererException {
            Resource resource = super.findResource(exchange);
            if (resource == null) {
                counters.received();
                counters.rejected(RejectReason.UNKNOWN_RESOURCE);
            }
            return resource;
        }
    }
}
