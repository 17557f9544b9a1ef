package io.edgeai.http.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Which paths under /api get a retryable 503 while their bundle is away, and which a 404. */
public class ApiFallbackServletTest {

    @Test
    public void theDocumentedApiIsRetryableEverythingElseIsUnknown() {
        for (String path : new String[] {"/api/v1/telemetry/d1", "/api/v1/predictions/d1", "/api/v1/labels/d1",
            "/api/v1/models", "/api/v1/models/m/predict", "/api/v1/training-jobs", "/api/v1/training-jobs/job-1",
            "/api/v1/health", "/api/v1/dashboard"}) {
            assertTrue(path, ApiFallbackServlet.known(path));
        }
        for (String path : new String[] {"/api/v1/nothing-here", "/api/etc", "/api/v1/modelsx", "/api/v1/telemetry",
            "/api", "/api/v2/models"}) {
            assertFalse(path, ApiFallbackServlet.known(path));
        }
        assertFalse(ApiFallbackServlet.known(null));
    }
}
