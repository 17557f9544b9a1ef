package io.edgeai.http.internal;

import io.edgeai.http.ProblemJson;
import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;

/**
 * The error page of the gateway's HTTP context: what the HTTP service itself answers before or instead of a servlet
 * (an ambiguous or malformed path, a method no servlet takes, a path nothing serves) becomes problem+json (RFC 9457)
 * under {@code /api/}, as every answer of the API is, and plain text elsewhere, never Jetty's HTML page. The answer
 * does not repeat the request's path.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.errorPage=4xx",
    "osgi.http.whiteboard.servlet.errorPage=5xx", "osgi.http.whiteboard.servlet.name=edgeai-error-page",
    "osgi.http.whiteboard.context.select=" + GatewayContext.SELECT})
public final class ApiErrorPage extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute("javax.servlet.error.status_code");
        int status = code instanceof Integer number ? number : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute("javax.servlet.error.request_uri");
        String path = uri == null ? request.getRequestURI() : uri.toString();
        String title = title(status);
        if (path != null && path.startsWith("/api/")) {
            ProblemJson.send(response, status, reason(status), title, detail(status));
        } else {
            response.setStatus(status);
            response.setContentType("text/plain");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(status + " " + title + "\n");
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 429 -> "throttled";
            case 404 -> "unknown_resource";
            case 405 -> "method_not_allowed";
            case 413, 414, 431 -> "too_large";
            case 415 -> "unsupported_format";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "malformed";
        };
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 429 -> "Too many requests";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413, 414, 431 -> "Too large";
            case 415 -> "Unsupported media type";
            case 503 -> "Not available";
            default -> status >= 500 ? "Internal error" : "Bad request";
        };
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "the request cannot be read: a path with encoded separators, dot segments or control"
                    + " characters, or a malformed header";
            case 404 -> "nothing is served at this path: see GET /api/v1/models, POST /api/v1/telemetry/{deviceId}";
            case 405 -> "this path does not take this method";
            case 413, 414, 431 -> "the request, its path or its headers are too large";
            default -> "the HTTP service answered " + status;
        };
    }
}
