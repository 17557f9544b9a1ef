package io.edgeai.http.jetty;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.Test;

public class ProblemJsonErrorHandlerTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode answer(int status, String reason, HttpFields fields) throws Exception {
        var body = new ProblemJsonErrorHandler().badMessageError(status, reason, fields);
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return json.readTree(new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    public void aRequestJettyCannotParseIsAProblemWithJettysReason() throws Exception {
        HttpFields fields = new HttpFields();
        JsonNode problem = answer(400, "Illegal character CNTL=0x1", fields);
        assertEquals("application/problem+json;charset=utf-8", fields.get(HttpHeader.CONTENT_TYPE));
        assertEquals("https://edgeai.io/problems/malformed", problem.get("type").asText());
        assertEquals("Bad request", problem.get("title").asText());
        assertEquals(400, problem.get("status").asInt());
        assertEquals("malformed", problem.get("reason").asText());
        assertEquals("the request cannot be read: Illegal character CNTL=0x1", problem.get("detail").asText());
    }

    @Test
    public void headersTooLargeAreTooLargeAndAMissingReasonIsTheStatusText() throws Exception {
        JsonNode problem = answer(431, null, new HttpFields());
        assertEquals("too_large", problem.get("reason").asText());
        assertEquals("https://edgeai.io/problems/too-large", problem.get("type").asText());
        assertEquals("the request cannot be read: Request Header Fields Too Large", problem.get("detail").asText());
    }

    @Test
    public void quotesBackslashesAndControlCharactersInTheReasonStayValidJson() throws Exception {
        String hostile = "a\"b\\c\u0000d\u001fe\u007ff</pre>";
        JsonNode problem = answer(400, hostile, new HttpFields());
        assertEquals("the request cannot be read: " + hostile, problem.get("detail").asText());
    }

    @Test
    public void aStatusWithoutBodyGetsNone() {
        assertNull(new ProblemJsonErrorHandler().badMessageError(304, "Not Modified", new HttpFields()));
    }
}
