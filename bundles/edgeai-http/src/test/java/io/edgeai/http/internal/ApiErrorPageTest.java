package io.edgeai.http.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import javax.servlet.UnavailableException;
import org.junit.Test;

/** Which answers of the HTTP service the error page turns into the retryable 503 of a servlet that is away. */
public class ApiErrorPageTest {

    @Test
    public void aServletBeingRemovedIsAwayNotUnknown() {
        // Jetty's 404 for a servlet destroyed under a request: away, on any path
        UnavailableException gone = new UnavailableException("Servlet Not Initialized");
        assertTrue(ApiErrorPage.away(404, "/api/v1/telemetry/d1", null, gone));
        assertTrue(ApiErrorPage.away(404, "/api/v1/elsewhere", null, gone));
        assertTrue(ApiErrorPage.away(404, "/api/v1/elsewhere", null, new javax.servlet.ServletException(gone)));
        // Jetty's 404 in the name of a servlet it found unavailable (no exception reaches the error page then)
        assertTrue(ApiErrorPage.away(404, "/api/v1/elsewhere", "edgeai-connector-http", null));
        assertFalse(ApiErrorPage.away(404, "/api/v1/nothing-here", "default", null));
        // a 404 on a documented path: its servlet is not there at the moment
        assertTrue(ApiErrorPage.away(404, "/api/v1/models/m/predict", null, null));
        // unknown paths stay unknown, other errors stay what they are
        assertFalse(ApiErrorPage.away(404, "/api/v1/nothing-here", null, null));
        assertFalse(ApiErrorPage.away(405, "/api/v1/telemetry/d1", "edgeai-connector-http", null));
        assertFalse(ApiErrorPage.away(400, "/api/v1/telemetry/d1", null, new IllegalStateException("bad")));
    }
}
