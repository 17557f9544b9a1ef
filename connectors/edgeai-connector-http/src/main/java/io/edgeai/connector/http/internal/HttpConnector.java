package io.edgeai.connector.http.internal;

import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.reading.LatestResults;
import io.edgeai.api.reading.PayloadFormat;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.ReadingParser;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.api.reading.Result;
import io.edgeai.api.reading.Telemetry;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ConnectorSupport;
import io.edgeai.connector.support.Drain;
import io.edgeai.connector.support.ResultJson;
import io.edgeai.connector.support.TelemetryCall;
import java.io.IOException;
import java.time.Instant;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.osgi.service.cm.ConfigurationAdmin;
import io.edgeai.http.Bodies;
import io.edgeai.http.Problem;
import io.edgeai.http.Requests;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/telemetry/{deviceId}} and {@code GET /api/v1/predictions/{deviceId}} on the OSGi HTTP
 * Whiteboard. A 200 goes out only after the reading went through {@link Telemetry#ENDPOINT}; every refusal is an
 * application/problem+json answer with the status the reason calls for, and is counted.
 */
@Component(service = Servlet.class, immediate = true, configurationPid = "io.edgeai.connector.http",
        property = {"osgi.http.whiteboard.servlet.pattern=/api/v1/telemetry/*",
            "osgi.http.whiteboard.servlet.pattern=/api/v1/predictions/*",
            "osgi.http.whiteboard.servlet.name=edgeai-connector-http",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgeai)"})
@Designate(ocd = HttpConnectorConfig.class)
public class HttpConnector extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnector.class);

    private final transient ConnectorSupport connector;
    private final transient ConnectorCounters counters;
    private final transient Drain drain = new Drain();
    private final transient ReadingParser parser;
    private final transient LatestResults results;
    private final transient TelemetryCall telemetry;
    private final int maxPayloadBytes;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Recorder recorder;

    @Activate
    public HttpConnector(BundleContext context, @Reference(target = "(camel.context.name=edgeai)") CamelContext camel,
            @Reference ReadingParser parser, @Reference LatestResults results, @Reference ConfigurationAdmin configs,
            HttpConnectorConfig config) throws IOException {
        this.parser = parser;
        this.results = results;
        this.telemetry = new TelemetryCall(camel, "http");
        this.maxPayloadBytes = config.maxPayloadBytes();
        if (!config.bearerToken().isBlank()) {
            LOG.warn("bearerToken in etc/io.edgeai.connector.http.cfg is no longer read and its token is refused:"
                    + " make a named API credential instead (edgeai:credential-add <name> <scopes>)");
        }
        // Karaf's HTTP service takes its port from Pax Web's configuration
        Dictionary<String, Object> web = configs.getConfiguration("org.ops4j.pax.web", null).getProperties();
        Object port = web == null ? null : web.get("org.osgi.service.http.port");
        String endpoints = "http://0.0.0.0:" + (port == null ? "8181" : port) + "/api/v1/telemetry";
        if (web != null && Boolean.parseBoolean(String.valueOf(web.get("org.osgi.service.http.secure.enabled")))) {
            Object secure = web.get("org.osgi.service.http.port.secure");
            endpoints += " https://0.0.0.0:" + (secure == null ? "8443" : secure) + "/api/v1/telemetry";
        }
        String endpoint = endpoints;
        this.connector = new ConnectorSupport("http", () -> recorder).endpoint(() -> endpoint);
        this.counters = connector.counters();
        // published on the whiteboard: Pax Web initializes servlets at their first request (init())
        connector.up("published on the HTTP whiteboard at /api/v1/telemetry and /api/v1/predictions");
        connector.publish(context); // once it knows where it listens and how it is
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        drain.close(10, TimeUnit.SECONDS);
        telemetry.close();
        connector.close();
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long arrived = System.nanoTime();
        counters.received();
        String device = Requests.device(request, "/api/v1/telemetry");
        if (device == null) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, "POST to /api/v1/telemetry/{deviceId}");
            return;
        }
        if (!drain.enter()) {
            Problem.busy(counters, response, 1, "overloaded", "the connector is restarting");
            return;
        }
        try {
            PayloadFormat format = Requests.format(request.getContentType());
            if (format == null) {
                refuse(response, RejectReason.UNSUPPORTED_FORMAT, "content type '" + request.getContentType()
                        + "' not accepted: use application/json or application/senml+json");
                return;
            }
            byte[] body = Bodies.readOrRefuseSlow(request, maxPayloadBytes, counters, response);
            if (response.isCommitted()) {
                return;
            }
            if (body == null) {
                refuse(response, RejectReason.TOO_LARGE, "body exceeds " + maxPayloadBytes + " bytes");
                return;
            }
            String result = "";
            for (Reading reading : parser.parse(device, body, format, Instant.now())) {
                result = telemetry.send(reading);
            }
            counters.accepted(arrived);
            response.setStatus(200);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(result == null ? "" : result);
        } catch (ReadingRejectedException e) {
            if (e.reason() == RejectReason.OVERLOADED) {
                Problem.busy(counters, response, e.retryAfterSeconds(), "overloaded", e.getMessage());
            } else {
                refuse(response, e.reason(), e.getMessage());
            }
        } catch (CamelExecutionException e) {
            counters.failed();
            String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            LOG.warn("Reading from {} failed in the route: {}", request.getRemoteAddr(), cause);
            Problem.send(response, 500, "failed", "Processing failed", cause);
        } finally {
            drain.exit();
        }
    }

    /** Every other method: 405 as problem+json, with Allow, counted. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws javax.servlet.ServletException, IOException {
        String method = request.getMethod();
        if ("GET".equals(method) || "POST".equals(method) || "HEAD".equals(method)) {
            super.service(request, response);
            return;
        }
        counters.received();
        counters.rejected(RejectReason.UNKNOWN_RESOURCE);
        response.setHeader("Allow", "GET, POST");
        Problem.send(response, 405, "method_not_allowed", "Method not allowed",
                method + " is not served: POST /api/v1/telemetry/{deviceId}, GET /api/v1/predictions/{deviceId}");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String device = Requests.device(request, "/api/v1/predictions");
        Optional<Result> latest = device == null ? Optional.empty() : results.latest(device);
        if (latest.isEmpty()) {
            Problem.send(response, 404, "unknown_resource", "No result",
                    device == null ? "GET /api/v1/predictions/{deviceId}" : "no result yet for device " + device);
            return;
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(ResultJson.write(latest.get()));
    }

    private void refuse(HttpServletResponse response, RejectReason reason, String detail) throws IOException {
        Problem.refuse(counters, response, reason, reason.httpStatus(), "Reading refused", detail);
    }

    @Override
    public void init() {
        connector.up("serving /api/v1/telemetry and /api/v1/predictions; who may call them: api-access");
    }

    @Override
    public void destroy() {
        connector.down("removed from the HTTP service");
    }
}
