package io.edgeai.http;

import io.edgeai.api.reading.RejectReason;
import io.edgeai.connector.support.ConnectorCounters;
import java.io.IOException;
import javax.servlet.http.HttpServletResponse;

/** An error as application/problem+json (RFC 9457), with the gateway's reason as an extension member. */
public final class Problem {

    private Problem() {
    }

    /** A refusal the sender can mend, counted under its reason. */
    public static void refuse(ConnectorCounters counters, HttpServletResponse response, RejectReason reason, int status,
            String title, String detail) throws IOException {
        counters.rejected(reason);
        send(response, status, reason.metricTag(), title, detail);
    }

    /**
     * 503 with Retry-After: a full queue ({@code overloaded}) or a part that is not running ({@code unavailable});
     * counted as overloaded.
     */
    public static void busy(ConnectorCounters counters, HttpServletResponse response, int retryAfterSeconds, String reason,
            String detail) throws IOException {
        counters.rejected(RejectReason.OVERLOADED);
        response.setHeader("Retry-After", Integer.toString(Math.max(1, retryAfterSeconds)));
        send(response, 503, reason, "overloaded".equals(reason) ? "Try again" : "Not available", detail);
    }

    public static void send(HttpServletResponse response, int status, String reason, String title, String detail)
            throws IOException {
        ProblemJson.send(response, status, reason, title, detail);
    }

    /** A JSON answer (application/json, UTF-8). */
    public static void json(HttpServletResponse response, int status, com.fasterxml.jackson.databind.JsonNode body)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body.toString());
    }
}
