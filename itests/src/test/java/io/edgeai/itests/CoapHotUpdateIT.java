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

    @Override
    protected boolean send(Connector connector, String device, int seq) throws Exception {
        String url = "coap://127.0.0.1:" + port(connector.endpoint(), "coap") + "/telemetry/" + device;
        Process process = new ProcessBuilder("coap-client-notls", "-B", "15", "-m", "post", "-t", "50", "-e",
                "{\"values\": {\"seq\": " + seq + "}}", url).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        return out.contains("\"seq\":" + seq + ".0");
    }
}
