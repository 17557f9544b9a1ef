package io.edgeai.monitoring.internal;

import io.edgeai.api.monitoring.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code GET /metrics}: every metric in the Prometheus text format, for a Prometheus server or curl. */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/metrics",
    "osgi.http.whiteboard.servlet.name=edgeai-metrics",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgeai)"})
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Metrics metrics;

    @Activate
    public MetricsServlet(@Reference Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
