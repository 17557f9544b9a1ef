package io.edgeai.http.internal;

import io.edgeai.http.ProblemJson;
import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.UnavailableException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;

/**
 * The error page of the gateway's HTTP context: what the HTTP service itself answers before or instead of a servlet
 * (an ambiguous or malformed path, a method no servlet takes, a path nothing serves) becomes problem+json (RFC 9457)
 * under {@code /api/}, as every answer of the API is, and plain text elsewhere, never Jetty's HTML page. The answer
 * does not repeat the request's path.
 *
 * <p>A servlet that is being removed (its bundle updated or stopped) can still be chosen for a request that arrived
 * a moment earlier; Jetty then finds it unavailable ("servlet not initialized") and sends 404 in its name, although
 * the path is served again a second later. Under {@code /api/} a 404 sent in the name of a servlet (no servlet of the
 * API sends its 404 through the error page: they write problem+json), an {@link UnavailableException}, and any 404
 * on a path of the documented API become the retryable 503 with {@code Retry-After} that {@link ApiFallbackServlet}
 * answers while a bundle is away.
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
        if (path != null && path.startsWith("/api/")
                && away(status, path, request.getAttribute("javax.servlet.error.servlet_name"),
                        request.getAttribute("javax.servlet.error.exception"))) {
            response.setHeader("Retry-After", String.valueOf(ApiFallbackServlet.RETRY_AFTER_SECONDS));
            ProblemJson.send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable",
                    "Service unavailable", ApiFallbackServlet.AWAY);
            return;
        }
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

    /** The name Pax Web gives the servlet that answers 404 where nothing is mapped. */
    private static final String NOTHING_MAPPED = "default";

    /**
     * Whether the servlet for the path is away for a moment rather than the path unknown: from the answer's status,
     * the path, the servlet it was sent in the name of (Jetty's {@code javax.servlet.error.servlet_name}) and the
     * exception, if one caused it.
     */
    static boolean away(int status, String path, Object servlet, Object exception) {
        if (status == HttpServletResponse.SC_NOT_FOUND && servlet instanceof String name && !name.isEmpty()
                && !NOTHING_MAPPED.equals(name)) {
            return true;
        }
        // the servlet's exception comes wrapped (in a ServletException, or by the HTTP service's filter chain)
        for (Object cause = exception; cause instanceof Throwable thrown; cause = thrown.getCause()) {
            if (thrown instanceof UnavailableException) {
                return true;
            }
            if (thrown.getCause() == thrown) {
                break;
            }
        }
        return status == HttpServletResponse.SC_NOT_FOUND && ApiFallbackServlet.known(path);
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
