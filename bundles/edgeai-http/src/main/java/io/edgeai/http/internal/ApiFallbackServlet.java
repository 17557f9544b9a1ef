package io.edgeai.http.internal;

import io.edgeai.http.ProblemJson;
import java.io.IOException;
import java.util.List;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;

/**
 * What answers under {@code /api/} when no servlet of the API serves the path (a longer pattern always wins): for a
 * path of the documented API whose bundle is away for a moment (being updated, restarted, installed), a retryable
 * 503 problem+json with {@code Retry-After}, so that a device retries instead of taking a 404 or the dashboard's 405
 * for an answer; for any other path, 404. Both without repeating the path.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/api/*",
    "osgi.http.whiteboard.servlet.name=edgeai-api-fallback",
    "osgi.http.whiteboard.context.select=" + GatewayContext.SELECT})
public final class ApiFallbackServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Seconds a sender is told to wait: a bundle update takes about one. */
    static final int RETRY_AFTER_SECONDS = 2;

    /** What a sender is told while the servlet for a path of the API is away. */
    static final String AWAY = "the service for this path is not running at the moment (being updated or started?);"
            + " retry in " + RETRY_AFTER_SECONDS + " s";

    /** The API's paths (docs/interface.md); a bundle serves each one. */
    static final List<String> KNOWN = List.of("/api/v1/telemetry/", "/api/v1/predictions/", "/api/v1/labels/",
            "/api/v1/models", "/api/v1/training-jobs", "/api/v1/anomaly/", "/api/v1/health", "/api/v1/dashboard");

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // the path as resolved (decoded, dot segments removed), not as sent
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (known(path)) {
            response.setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            ProblemJson.send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                    "Service unavailable", AWAY);
        } else {
            ProblemJson.send(response, HttpServletResponse.SC_NOT_FOUND, "unknown_resource", "Not found",
                    "nothing is served at this path (docs/interface.md lists the API)");
        }
    }

    static boolean known(String path) {
        if (path == null) {
            return false;
        }
        for (String prefix : KNOWN) {
            boolean folder = prefix.endsWith("/");
            if (folder ? path.startsWith(prefix) && path.length() > prefix.length()
                    : path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
