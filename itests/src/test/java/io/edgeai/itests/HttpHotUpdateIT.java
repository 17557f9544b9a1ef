package io.edgeai.itests;

import io.edgeai.api.connector.Connector;
import java.util.concurrent.TimeUnit;

/** The HTTP connector updated under posts from curl; a 200 with the reading is the acknowledgement. */
public class HttpHotUpdateIT extends ConnectorHotUpdateSupport {

    @Override
    protected String connectorName() {
        return "http";
    }

    @Override
    protected String bundleName() {
        return "io.edgeai.connector.http";
    }

    @Override
    protected boolean send(Connector connector, String device, int seq) throws Exception {
        String url = "http://127.0.0.1:" + port(connector.endpoint(), "http") + "/api/v1/telemetry/" + device;
        Process process = new ProcessBuilder("curl", "-s", "--max-time", "15", "-H", "Content-Type: application/json",
                "--data-binary", "{\"values\": {\"seq\": " + seq + "}}", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        return out.contains("\"seq\":" + seq + ".0");
    }
}
