package io.edgeai.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.connector.Connector;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import javax.servlet.Servlet;
import javax.servlet.UnavailableException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.Test;
import org.osgi.framework.ServiceRegistration;

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

    /**
     * A servlet chosen for a request while it is being removed answers like one that is already gone: Jetty finds it
     * unavailable ("servlet not initialized") and would answer 404, which a device takes for "no such path"; the
     * gateway answers the retryable 503 instead, on a documented path and on any other.
     */
    @Test
    public void aServletBeingRemovedAnswersRetryableNotNotFound() throws Exception {
        Connector connector = waitForService(Connector.class, "(connector.name=http)");
        String base = "http://127.0.0.1:" + port(connector.endpoint(), "http");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern",
                new String[] {"/api/v1/labels/being-removed/*", "/api/v1/being-removed/*"});
        properties.put("osgi.http.whiteboard.servlet.name", "itest-being-removed");
        properties.put("osgi.http.whiteboard.context.select", "(osgi.http.whiteboard.context.name=edgeai)");
        ServiceRegistration<Servlet> removed = bundleContext.registerService(Servlet.class, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response)
                    throws UnavailableException {
                // what Jetty's holder throws when its servlet was destroyed under a request
                throw new UnavailableException("Servlet Not Initialized");
            }
        }, properties);
        try {
            // registered once the path nothing else serves stops answering the fallback's 404 (both patterns at once)
            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(TIMEOUT_SECONDS))
                        .until(() -> post(base + "/api/v1/being-removed/x").status() != 404);
            } catch (org.awaitility.core.ConditionTimeoutException stillNotFound) {
                // reported below with the answer
            }
            for (String path : new String[] {"/api/v1/being-removed/x", "/api/v1/labels/being-removed/d1"}) {
                Curl.Reply reply = post(base + path);
                assertEquals(path + ": " + reply.body(), 503, reply.status());
                assertEquals(reply.contentType(), "application/problem+json", reply.contentType().split(";")[0]);
                assertTrue(reply.headers().toString(), reply.headers().containsKey("retry-after"));
                assertTrue(reply.body(), reply.body().contains("\"reason\":\"unavailable\""));
            }
        } finally {
            removed.unregister();
        }
    }

    private static Curl.Reply post(String url) throws Exception {
        return Curl.call(url, "-H", "Content-Type: application/json", "--data-binary", "{\"values\": {\"seq\": 1}}");
    }
}
