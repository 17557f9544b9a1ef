package io.edgeai.monitoring.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Map;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;

/**
 * The dashboard at {@code GET /}: its page, script and style from this bundle ({@code dashboard/}) and the chart
 * library, uPlot, from the webjar embedded in it. Nothing comes from the network, so the dashboard works on a gateway
 * that has none. Other paths no servlet serves are answered 404.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/",
    "osgi.http.whiteboard.servlet.pattern=/dashboard/*", "osgi.http.whiteboard.servlet.name=edgeai-dashboard",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgeai)"})
public class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Where the embedded webjar keeps uPlot's built files (its version is the pom's {@code uplot.version}). */
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

    /** What the dashboard serves: path under {@code /dashboard/} to the resource and its content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "index.html", new String[] {"dashboard/index.html", "text/html; charset=utf-8"},
            "dashboard.js", new String[] {"dashboard/dashboard.js", "text/javascript; charset=utf-8"},
            "dashboard.css", new String[] {"dashboard/dashboard.css", "text/css; charset=utf-8"},
            "uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"},
            "uPlot.LICENSE", new String[] {UPLOT.replace("dist/", "LICENSE"), "text/plain; charset=utf-8"});

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String file;
        if (path.isEmpty() || path.equals("/") || path.equals("/dashboard") || path.equals("/dashboard/")) {
            file = "index.html";
        } else if (path.startsWith("/dashboard/")) {
            file = path.substring("/dashboard/".length());
        } else {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "nothing at " + path);
            return;
        }
        String[] known = FILES.get(file);
        URL resource = known == null ? null : DashboardServlet.class.getClassLoader().getResource(known[0]);
        if (resource == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "nothing at " + path);
            return;
        }
        response.setContentType(known[1]);
        response.setHeader("Cache-Control", file.startsWith("uPlot") ? "max-age=86400" : "no-cache");
        try (InputStream in = resource.openStream()) {
            in.transferTo(response.getOutputStream());
        }
    }
}
