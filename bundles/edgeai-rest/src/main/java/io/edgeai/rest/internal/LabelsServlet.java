package io.edgeai.rest.internal;

import io.edgeai.api.monitoring.Labels;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.reading.ReadingRejectedException;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.connector.support.ConnectorCounters;
import io.edgeai.connector.support.ConnectorSupport;
import io.edgeai.http.Bodies;
import io.edgeai.http.Problem;
import io.edgeai.http.Requests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Labels over HTTP: {@code POST /api/v1/labels/{deviceId}} with {@code {"ts", "value"}} hands the label to live
 * accuracy ({@link Labels}, in the monitoring bundle) and answers 200 with the joined pair; refusals are problem+json
 * with their reason and counted ({@code http-labels}): 404 when no answer of the device is there to join (or
 * monitoring is not installed), 400 for a label that is not JSON or lacks its time or value, 415, 413, and 401 without
 * answers 401/403/429 from the gateway's HTTP context (API credentials) before this servlet sees the request.
 */
@Component(service = Servlet.class, immediate = true, configurationPid = "io.edgeai.connector.http",
        property = {"osgi.http.whiteboard.servlet.pattern=/api/v1/labels/*",
            "osgi.http.whiteboard.servlet.name=edgeai-labels-http",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgeai)"})
public class LabelsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "/api/v1/labels";

    private final transient ConnectorSupport connector;
    private final transient ConnectorCounters counters;
    private final int maxPayloadBytes;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Recorder recorder;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Labels labels;

    @Activate
    public LabelsServlet(BundleContext context, RestConfig config) {
        this.connector = new ConnectorSupport("http-labels", () -> recorder).endpoint(() -> PREFIX)
                .healthFrom(c -> c.health(Status.UP, "serving " + PREFIX + (labels == null
                ? " (live accuracy is not installed: labels are refused)" : "")));
        this.counters = connector.counters();
        this.maxPayloadBytes = config.maxPayloadBytes();
        connector.publish(context); // once it knows where it listens and how it is
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long arrived = System.nanoTime();
        counters.received();
        String device = Requests.device(request, PREFIX);
        if (!"POST".equals(request.getMethod()) || device == null) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, request.getMethod() + " " + request.getRequestURI()
                    + " is not served: POST " + PREFIX + "/{deviceId}");
            return;
        }
        if (Requests.format(request.getContentType()) != io.edgeai.api.reading.PayloadFormat.JSON) {
            refuse(response, RejectReason.UNSUPPORTED_FORMAT, "content type '" + request.getContentType()
                    + "' not accepted: a label is application/json");
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
        Labels joiner = labels;
        if (joiner == null) {
            refuse(response, RejectReason.UNKNOWN_RESOURCE, "live accuracy is not installed (feature"
                    + " edgeai-monitoring): labels are not kept");
            return;
        }
        try {
            String joined = joiner.label(device, body);
            counters.accepted(arrived);
            response.setStatus(200);
            response.setContentType("application/json");
            response.getOutputStream().write(joined.getBytes(StandardCharsets.UTF_8));
        } catch (ReadingRejectedException e) {
            refuse(response, e.reason(), e.getMessage());
        }
    }

    private void refuse(HttpServletResponse response, RejectReason reason, String detail) throws IOException {
        Problem.refuse(counters, response, reason, reason.httpStatus(), "Label refused", detail);
    }

    @Deactivate
    void deactivate() {
        connector.close();
    }
}
