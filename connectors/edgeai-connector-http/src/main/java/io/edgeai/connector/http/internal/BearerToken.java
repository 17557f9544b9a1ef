package io.edgeai.connector.http.internal;

import io.edgeai.api.reading.RejectReason;
import io.edgeai.telemetry.ConnectorCounters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** The optional bearer token of {@code etc/io.edgeai.connector.http.cfg}, checked alike by every servlet. */
final class BearerToken {

    private final byte[] expected;

    BearerToken(String token) {
        this.expected = token == null || token.isBlank() ? null
                : ("Bearer " + token.trim()).getBytes(StandardCharsets.UTF_8);
    }

    boolean required() {
        return expected != null;
    }

    /** True when the request may pass; otherwise answers 401 with WWW-Authenticate and counts it. */
    boolean admit(HttpServletRequest request, HttpServletResponse response, ConnectorCounters counters)
            throws IOException {
        if (expected == null) {
            return true;
        }
        String header = request.getHeader("Authorization");
        if (header != null && MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        counters.rejected(RejectReason.UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"edgeai\"");
        Problem.send(response, 401, "unauthorized", "Unauthorized", "send Authorization: Bearer <token>");
        return false;
    }
}
