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

    /** 200 with the reading is the acknowledgement; 503 problem+json with Retry-After the retryable busy. */
    @Override
    protected Answer send(Connector connector, String device, int seq) throws Exception {
        String url = "http://127.0.0.1:" + port(connector.endpoint(), "http") + "/api/v1/telemetry/" + device;
        Process process = new ProcessBuilder("curl", "-s", "-i", "--max-time", "15", "-H",
                "Content-Type: application/json", "--data-binary", "{\"values\": {\"seq\": " + seq + "}}", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        String status = out.lines().findFirst().orElse("");
        if (status.contains(" 200") && out.contains("\"seq\":" + seq + ".0")) {
            return new Answer(Kind.ACKNOWLEDGED, status);
        }
        if (status.contains(" 503") && out.toLowerCase(java.util.Locale.ROOT).contains("retry-after:")
                && out.contains("application/problem+json")) {
            return new Answer(Kind.RETRYABLE, status);
        }
        return new Answer(Kind.UNEXPECTED, out.isEmpty() ? "no answer (curl exit " + process.exitValue() + ")"
                : out.substring(0, Math.min(out.length(), 400)));
    }
}
