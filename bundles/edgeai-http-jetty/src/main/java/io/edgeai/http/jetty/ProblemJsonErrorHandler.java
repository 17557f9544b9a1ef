package io.edgeai.http.jetty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's server error handler with one change: a request Jetty cannot parse (it answers before any context or servlet
 * could) gets application/problem+json in the gateway's form (the same members as every other error of the API)
 * instead of Jetty's HTML page. The path of such a request is not known, so the answer is problem+json wherever it was
 * sent. Everything else is Jetty's.
 */
public class ProblemJsonErrorHandler extends ErrorHandler {

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        if (HttpStatus.hasNoBody(status)) {
            return null;
        }
        fields.put(HttpHeader.CONTENT_TYPE, "application/problem+json;charset=utf-8");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(problem(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    /** The problem document: type, title, status, detail (Jetty's reason) and the gateway's reason code. */
    static String problem(int status, String detail) {
        String reason = switch (status) {
            case 408 -> "too_slow";
            case 413, 414, 431 -> "too_large";
            default -> "malformed";
        };
        String title = switch (reason) {
            case "too_slow" -> "Too slow";
            case "too_large" -> "Too large";
            default -> "Bad request";
        };
        String said = detail == null || detail.isBlank() ? HttpStatus.getMessage(status) : detail;
        return "{\"type\":\"https://edgeai.io/problems/" + reason.replace('_', '-') + "\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":" + quoted("the request cannot be read: " + said)
                + ",\"reason\":\"" + reason + "\"}";
    }

    /**
     * A JSON string of Jetty's reason text (this bundle is a fragment of Pax Web's Jetty: it cannot bring a JSON
     * library of its own without tying Pax Web to it); quotes, backslashes and control characters escaped.
     */
    static String quoted(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
