package io.edgeai.bench;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

/**
 * The raw baseline: plain Californium answering {@code POST /telemetry/{id}} with 2.04 and the request payload, with
 * the same Californium version and defaults as the gateway's connector. {@code CoapEchoServer <port>}.
 */
public final class CoapEchoServer {

    private CoapEchoServer() {
    }

    public static void main(String[] args) {
        CoapConfig.register();
        UdpConfig.register();
        Configuration config = Configuration.createStandardWithoutFile();
        // the gateway's deduplication (each peer's last 64 messages), so that both keep the same state per request
        config.set(CoapConfig.DEDUPLICATOR, CoapConfig.DEDUPLICATOR_PEERS_MARK_AND_SWEEP);
        config.set(CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES, 64);
        CoapServer server = new CoapServer(config, Integer.parseInt(args[0]));
        CoapResource echo = new CoapResource("device", false) {
            @Override
            public void handlePOST(CoapExchange exchange) {
                exchange.respond(ResponseCode.CHANGED, exchange.getRequestPayload(),
                        exchange.getRequestOptions().getContentFormat());
            }
        };
        server.add(new CoapResource("telemetry") {
            @Override
            public Resource getChild(String name) {
                return echo;
            }
        });
        server.start();
        System.out.println("echo server on " + args[0]);
    }
}
