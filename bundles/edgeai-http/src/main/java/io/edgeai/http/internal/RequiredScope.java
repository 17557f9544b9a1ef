package io.edgeai.http.internal;

import io.edgeai.api.security.ApiScope;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a request needs, from its method and path: reading is {@code read}, changing is the scope of what it changes,
 * and a path the gateway does not know needs {@code read} to read and {@code admin} to change, so that an odd spelling
 * of a path never needs less than the plain one.
 *
 * @param scope  the scope needed, or null for the dashboard's page and files (they hold no data)
 * @param device the device id the request acts for, or null
 */
record RequiredScope(ApiScope scope, String device) {

    private static final Pattern DEVICE_PATH = Pattern.compile("/api/v1/(telemetry|predictions|labels)/([^/]+)");
    private static final Pattern PREDICT = Pattern.compile("/api/v1/models/[^/]+/predict");
    private static final Pattern REPLAY = Pattern.compile("/api/v1/anomaly/[^/]+/replay");

    static RequiredScope of(String method, String path) {
        boolean reads = "GET".equals(method) || "HEAD".equals(method);
        if (reads && (path.equals("/") || path.equals("/dashboard") || path.startsWith("/dashboard/"))) {
            return new RequiredScope(null, null);
        }
        Matcher device = DEVICE_PATH.matcher(path);
        if (device.matches()) {
            boolean labelRead = reads && device.group(1).equals("labels");
            return new RequiredScope(labelRead ? ApiScope.READ : ApiScope.INGEST, device.group(2));
        }
        if (path.equals("/api/v1/telemetry") || path.startsWith("/api/v1/telemetry/")
                || path.equals("/api/v1/labels") || path.startsWith("/api/v1/labels/")
                || path.equals("/api/v1/predictions") || path.startsWith("/api/v1/predictions/")) {
            return new RequiredScope(ApiScope.INGEST, null);
        }
        if (reads) {
            return new RequiredScope(ApiScope.READ, null);
        }
        if ("POST".equals(method) && (PREDICT.matcher(path).matches() || REPLAY.matcher(path).matches())) {
            return new RequiredScope(ApiScope.PREDICT, null);
        }
        if (path.equals("/api/v1/models") || path.startsWith("/api/v1/models/")) {
            return new RequiredScope(ApiScope.MODELS, null);
        }
        if (path.equals("/api/v1/training-jobs") || path.startsWith("/api/v1/training-jobs/")) {
            return new RequiredScope(ApiScope.TRAINING, null);
        }
        return new RequiredScope(ApiScope.ADMIN, null);
    }
}
