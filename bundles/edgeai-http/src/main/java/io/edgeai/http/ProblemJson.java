package io.edgeai.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import javax.servlet.http.HttpServletResponse;

/**
 * An error answer of the gateway's HTTP API: application/problem+json (RFC 9457) with the gateway's reason as an
 * extension member, {@code type} {@code https://edgeai.io/problems/<reason>}. Used by the HTTP context and by every
 * servlet of the API, so that all answer alike.
 */
public final class ProblemJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProblemJson() {
    }

    /** Sets the status and writes the problem; the response is not committed yet. */
    public static void send(HttpServletResponse response, int status, String reason, String title, String detail)
            throws IOException {
        ObjectNode problem = MAPPER.createObjectNode();
        problem.put("type", "https://edgeai.io/problems/" + reason.replace('_', '-'));
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("reason", reason);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(MAPPER.writeValueAsString(problem));
    }
}
