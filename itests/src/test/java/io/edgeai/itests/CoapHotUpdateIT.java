package io.edgeai.itests;

import io.edgeai.api.connector.Connector;
import java.util.concurrent.TimeUnit;

/** The CoAP connector updated under confirmable posts from coap-client-notls. */
public class CoapHotUpdateIT extends ConnectorHotUpdateSupport {

    @Override
    protected String connectorName() {
        return "coap";
    }

    @Override
    protected String bundleName() {
        return "io.edgeai.connector.coap";
    }

    /**
     * A 2.04 with the reading is the acknowledgement; a 5.03, or no answer at all while the endpoint is away (the
     * device's CON retransmissions go on), leaves the reading with the device: retryable.
     */
    @Override
    protected Answer send(Connector connector, String device, int seq) throws Exception {
        String url = "coap://127.0.0.1:" + port(connector.endpoint(), "coap") + "/telemetry/" + device;
        Process process = new ProcessBuilder("coap-client-notls", "-B", "15", "-m", "post", "-t", "50", "-e",
                "{\"values\": {\"seq\": " + seq + "}}", url).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        if (out.contains("\"seq\":" + seq + ".0")) {
            return new Answer(Kind.ACKNOWLEDGED, out);
        }
        if (out.isBlank() || out.contains("5.03") || out.contains("timeout") || out.contains("Connection refused")) {
            return new Answer(Kind.RETRYABLE, out);
        }
        return new Answer(Kind.UNEXPECTED, out);
    }
}
