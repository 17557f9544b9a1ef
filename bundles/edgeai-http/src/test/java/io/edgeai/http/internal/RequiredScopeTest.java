package io.edgeai.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.security.ApiScope;
import org.junit.Test;

public class RequiredScopeTest {

    private static void needs(ApiScope scope, String device, String method, String path) {
        RequiredScope needs = RequiredScope.of(method, path);
        assertEquals(method + " " + path, scope, needs.scope());
        assertEquals(method + " " + path, device, needs.device());
    }

    @Test
    public void eachPathNeedsTheScopeOfWhatItDoes() {
        needs(ApiScope.INGEST, "pump-1", "POST", "/api/v1/telemetry/pump-1");
        needs(ApiScope.INGEST, "pump-1", "GET", "/api/v1/predictions/pump-1");
        needs(ApiScope.INGEST, "pump-1", "POST", "/api/v1/labels/pump-1");
        needs(ApiScope.READ, "pump-1", "GET", "/api/v1/labels/pump-1");
        needs(ApiScope.PREDICT, null, "POST", "/api/v1/models/anomaly/predict");
        needs(ApiScope.PREDICT, null, "POST", "/api/v1/anomaly/pump-1/replay");
        needs(ApiScope.ADMIN, null, "POST", "/api/v1/anomaly/a/b/replay");
        needs(ApiScope.READ, null, "GET", "/api/v1/models/anomaly");
        needs(ApiScope.MODELS, null, "POST", "/api/v1/models/anomaly/versions");
        needs(ApiScope.MODELS, null, "POST", "/api/v1/models/anomaly/versions/2/promote");
        needs(ApiScope.MODELS, null, "DELETE", "/api/v1/models/anomaly/versions/2");
        needs(ApiScope.TRAINING, null, "POST", "/api/v1/training-jobs");
        needs(ApiScope.TRAINING, null, "DELETE", "/api/v1/training-jobs/7");
        needs(ApiScope.READ, null, "GET", "/api/v1/training-jobs/7");
        needs(ApiScope.READ, null, "GET", "/metrics");
        needs(ApiScope.READ, null, "GET", "/api/v1/health");
        needs(ApiScope.READ, null, "GET", "/api/v1/dashboard");
        needs(null, null, "GET", "/");
        needs(null, null, "GET", "/dashboard/dashboard.js");
    }

    @Test
    public void oddSpellingsNeverNeedLessThanThePlainPath() {
        needs(ApiScope.MODELS, null, "POST", "/api/v1/models/anomaly%2Fpredict");
        needs(ApiScope.MODELS, null, "POST", "/api/v1/models/a/b/predict");
        needs(ApiScope.INGEST, null, "POST", "/api/v1/telemetry/a/b");
        needs(ApiScope.ADMIN, null, "POST", "/dashboard/x");
        needs(ApiScope.ADMIN, null, "PUT", "/somewhere");
        needs(ApiScope.READ, null, "GET", "/somewhere");
    }

    @Test
    public void bearerTokensAndLoopbackAddressesAreRecognized() {
        assertEquals("abc", GatewayContext.token("Bearer abc"));
        assertEquals("abc", GatewayContext.token("bearer   abc "));
        assertNull(GatewayContext.token(null));
        assertEquals(GatewayContext.NOT_BEARER, GatewayContext.token("Basic a2FyYWY6a2FyYWY="));
        assertTrue(GatewayContext.isLocal("127.0.0.1"));
        assertTrue(GatewayContext.isLocal("127.8.9.10"));
        assertTrue(GatewayContext.isLocal("0:0:0:0:0:0:0:1"));
        assertTrue(GatewayContext.isLocal("[::1]"));
        assertFalse(GatewayContext.isLocal("192.168.1.20"));
        assertFalse(GatewayContext.isLocal("fe80::1"));
        assertFalse("a name is never looked up", GatewayContext.isLocal("localhost"));
        assertFalse(GatewayContext.isLocal(""));
    }
}
