package io.edgeai.http;

import io.edgeai.api.reading.PayloadFormat;
import java.util.Locale;
import javax.servlet.http.HttpServletRequest;

/** What the gateway's servlets read off a request alike: the device in its path, the format of its body. */
public final class Requests {

    private Requests() {
    }

    /** The device id of {@code <prefix>/{deviceId}}, or null when the path is not that (more segments, none). */
    public static String device(HttpServletRequest request, String prefix) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith(prefix + "/")) {
            return null;
        }
        String device = path.substring(prefix.length() + 1);
        return device.isEmpty() || device.contains("/") ? null : device;
    }

    /** The reading format a Content-Type names (JSON, SenML JSON), or null for any other. */
    public static PayloadFormat format(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/json" -> PayloadFormat.JSON;
            case "application/senml+json" -> PayloadFormat.SENML_JSON;
            default -> null;
        };
    }
}
