package io.edgeai.connector.coap.internal;

import static org.junit.Assert.assertEquals;

import io.edgeai.api.reading.RejectReason;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.Test;

/** The API's one mapping of refusal reasons to CoAP codes names codes Californium knows, the right ones. */
public class RefusalCodesTest {

    @Test
    public void everyReasonIsACoapErrorCode() {
        for (RejectReason reason : RejectReason.values()) {
            ResponseCode code = TelemetryResource.code(reason);
            assertEquals(reason + ": " + code, reason.httpStatus() >= 500 ? 5 : 4, code.codeClass);
        }
        assertEquals(ResponseCode.BAD_REQUEST, TelemetryResource.code(RejectReason.MALFORMED));
        assertEquals(ResponseCode.UNSUPPORTED_CONTENT_FORMAT, TelemetryResource.code(RejectReason.UNSUPPORTED_FORMAT));
        assertEquals(ResponseCode.REQUEST_ENTITY_TOO_LARGE, TelemetryResource.code(RejectReason.TOO_LARGE));
        assertEquals(ResponseCode.NOT_FOUND, TelemetryResource.code(RejectReason.UNKNOWN_RESOURCE));
        assertEquals(ResponseCode.UNAUTHORIZED, TelemetryResource.code(RejectReason.UNAUTHORIZED));
        assertEquals(ResponseCode.SERVICE_UNAVAILABLE, TelemetryResource.code(RejectReason.OVERLOADED));
        assertEquals(ResponseCode.SERVICE_UNAVAILABLE, TelemetryResource.code(RejectReason.STORAGE_FULL));
        assertEquals(RejectReason.OUT_OF_RANGE, RejectReason.of("out_of_range"));
        assertEquals(RejectReason.MALFORMED, RejectReason.of("no such reason"));
        assertEquals(RejectReason.MALFORMED, RejectReason.of(null));
    }
}
