package io.edgeai.http.internal;

import io.edgeai.api.security.ApiAccess;
import io.edgeai.api.security.ApiDecision;
import io.edgeai.http.ProblemJson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.context.ServletContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet context every servlet of the gateway selects ({@value #SELECT}). Before any of them sees a request, the
 * request's bearer token, the scope its method and path need ({@link RequiredScope}) and the device it acts for are
 * decided by {@link ApiAccess}: 401 with {@code WWW-Authenticate}, 403, or 429 with {@code Retry-After}, each as
 * problem+json. Servlets of this context are not served while it is missing, so the API is never open by accident.
 */
@Component(service = ServletContextHelper.class, property = {
    "osgi.http.whiteboard.context.name=" + GatewayContext.NAME, "osgi.http.whiteboard.context.path=/",
    "service.ranking:Integer=100"})
public final class GatewayContext extends ServletContextHelper {

    static final String NAME = "edgeai";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    private static final Logger LOG = LoggerFactory.getLogger(GatewayContext.class);
    private static final String BEARER = "bearer ";

    private final ApiAccess access;

    @Activate
    public GatewayContext(BundleContext context, @Reference ApiAccess access) {
        super(context.getBundle());
        this.access = access;
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        if (path == null) {
            path = "/";
        }
        RequiredScope needs = RequiredScope.of(request.getMethod(), path.substring(
                Math.min(path.length(), request.getContextPath() == null ? 0 : request.getContextPath().length())));
        if (needs.scope() == null) {
            return true;
        }
        String token = token(request.getHeader("Authorization"));
        ApiDecision decision = access.decide(token, isLocal(request.getRemoteAddr()), needs.scope(), needs.device());
        request.setAttribute("io.edgeai.credential", decision.credential());
        switch (decision.outcome()) {
            case ALLOWED -> {
                return true;
            }
            case UNAUTHORIZED -> {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"edgeai\"");
                ProblemJson.send(response, 401, "unauthorized", "Unauthorized", decision.detail());
            }
            case FORBIDDEN -> ProblemJson.send(response, 403, "forbidden", "Forbidden", decision.detail());
            case THROTTLED -> {
                response.setHeader("Retry-After", Long.toString(Math.max(1, decision.retryAfterSeconds())));
                ProblemJson.send(response, 429, "throttled", "Too many requests", decision.detail());
            }
            default -> throw new IllegalStateException("unknown outcome " + decision.outcome());
        }
        // committed, so that the HTTP service does not replace the answer with its own 403 page
        response.flushBuffer();
        LOG.debug("{} {} refused: {} ({})", request.getMethod(), path, decision.outcome(), decision.credential());
        return false;
    }

    /** Stands for credentials of another scheme than Bearer: no credential has it, so they are refused. */
    static final String NOT_BEARER = "\u0000not a bearer token";
    private static final java.util.regex.Pattern IP_LITERAL = java.util.regex.Pattern.compile(
            "\\d{1,3}(\\.\\d{1,3}){3}|\\[?[0-9A-Fa-f:.%a-zA-Z]*:[0-9A-Fa-f:.%a-zA-Z]*]?");

    /** The bearer token of an Authorization header; null when there is none; {@link #NOT_BEARER} for another scheme. */
    static String token(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String trimmed = header.trim();
        if (trimmed.length() > BEARER.length() && trimmed.substring(0, BEARER.length()).equalsIgnoreCase(BEARER)) {
            return trimmed.substring(BEARER.length()).trim();
        }
        return NOT_BEARER;
    }

    /** True for a loopback address (127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6). */
    static boolean isLocal(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        try {
            // only a literal address is parsed: a name would be looked up
            return IP_LITERAL.matcher(address).matches() && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
