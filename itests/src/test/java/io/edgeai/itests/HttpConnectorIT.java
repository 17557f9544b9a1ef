package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.connector.Connector;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The HTTP connector against curl: readings in, results back, and every kind of bad input answered with the right
 * status and an application/problem+json body, counted by reason. Who may call what: ApiCredentialsIT.
 */
public class HttpConnectorIT extends EdgeAiTestSupport {

    private String base;

    /** Status line code, content type and body of a curl call. */
    private record Answer(int status, String contentType, String body) {
    }

    private Connector connector() {
        Connector http = waitForService(Connector.class, "(connector.name=http)");
        base = "http://127.0.0.1:" + port(http.endpoint(), "http");
        // the servlet is registered with the HTTP service a moment after the connector service
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> curl("/api/v1/predictions/nobody").body()
                .contains("no result yet for device nobody"));
        return http;
    }

    private Answer curl(String path, String... args) throws Exception {
        Curl.Reply reply = Curl.call(base + path, args);
        return new Answer(reply.status(), reply.contentType(), reply.body());
    }

    private Answer postJson(String device, String json, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-H", "Content-Type: application/json", "--data-binary", json));
        args.addAll(Arrays.asList(extra));
        return curl("/api/v1/telemetry/" + device, args.toArray(new String[0]));
    }

    @Test
    public void readingIsAnsweredAndBecomesTheLatestPrediction() throws Exception {
        connector();
        Answer posted = postJson("web1", "{\"ts\": 1764450000000, \"values\": {\"temperature\": 21.5}}");
        assertEquals(200, posted.status());
        assertTrue(posted.contentType(), posted.contentType().startsWith("application/json"));
        assertEquals(answer("web1", 1764450000000L, "\"temperature\":21.5"), posted.body());
        assertEquals(posted.body(), curl("/api/v1/predictions/web1").body());
        Answer senml = curl("/api/v1/telemetry/web2", "-H", "Content-Type: application/senml+json", "--data-binary",
                "[{\"n\": \"t\", \"v\": 2}]");
        assertEquals(200, senml.status());
    }

    @Test
    public void badInputGetsProblemJsonWithTheRightStatusAndIsCounted() throws Exception {
        Connector http = connector();
        Map<String, Long> before = ConnectorCounts.of(http);

        assertProblem(curl("/api/v1/telemetry/bad", "-d", "t=1"), 415, "unsupported_format"); // curl's form type
        assertProblem(postJson("bad", "{\"values\": {\"t\": NaN}}"), 400, "non_finite");
        assertProblem(postJson("bad", "{\"values\": {\"t\": Infinity}}"), 400, "non_finite");
        assertProblem(postJson("bad", "{\"values\": "), 400, "malformed");
        assertProblem(postJson("bad", "{\"ts\": 1}"), 400, "missing_field");
        assertProblem(curl("/api/v1/telemetry/bad", "-X", "POST", "-H", "Content-Type: application/json"), 400,
                "empty");
        assertProblem(postJson("", "{\"values\": {\"t\": 1}}"), 404, "unknown_resource");
        assertProblem(curl("/api/v1/telemetry/bad", "-X", "PUT"), 405, "method_not_allowed");
        File megabyte = File.createTempFile("http", ".json");
        Files.write(megabyte.toPath(), new byte[1_000_000]);
        assertProblem(curl("/api/v1/telemetry/bad", "-H", "Content-Type: application/json", "--data-binary",
                "@" + megabyte.getPath()), 413, "too_large");
        Files.delete(megabyte.toPath());
        // a declared length over the limit is refused at the headers, before the (never sent) body
        assertProblem(curl("/api/v1/telemetry/bad", "-H", "Content-Type: application/json", "-H",
                "Content-Length: 99999999999", "--data-binary", "{}"), 413, "too_large");
        assertEquals(200, postJson("afterBad", "{\"values\": {\"t\": 1}}").status());
        // what the HTTP service answers itself under /api is problem+json too, never an HTML page (not a reading:
        // not counted by the connector)
        assertProblem(curl("/api/v1/telemetry/..%2F..%2Fetc", "--path-as-is", "-H", "Content-Type: application/json",
                "--data-binary", "{}"), 404, "unknown_resource"); // Jetty resolves it outside the telemetry servlet
        assertProblem(curl("/api/v1/nothing-here"), 404, "unknown_resource");
        // what Jetty cannot parse, answered before any context sees it (the fragment edgeai-http-jetty)
        assertProblem(curl("/api/v1/telemetry/ab%00cd", "-H", "Content-Type: application/json", "--data-binary",
                "{}"), 400, "malformed");
        assertProblem(curl("/api/v1/health", "-H", "X-Big: " + "x".repeat(9000)), 431, "too_large");
        assertProblem(curl("/api/v1/health", "-H", "Bad Header: 1"), 400, "malformed");
        Answer elsewhere = curl("/nothing-here");
        assertEquals(404, elsewhere.status());
        assertTrue(elsewhere.contentType(), elsewhere.contentType().startsWith("text/plain"));

        Map<String, Long> after = ConnectorCounts.of(http);
        assertEquals(1, delta(before, after, "rejected.unsupported_format"));
        assertEquals(2, delta(before, after, "rejected.non_finite"));
        assertEquals(1, delta(before, after, "rejected.malformed"));
        assertEquals(1, delta(before, after, "rejected.missing_field"));
        assertEquals(1, delta(before, after, "rejected.empty"));
        assertEquals(2, delta(before, after, "rejected.unknown_resource"));
        assertEquals(2, delta(before, after, "rejected.too_large"));
        assertEquals(1, delta(before, after, "accepted"));
        assertEquals(11, delta(before, after, "received"));
    }

    private static void assertProblem(Answer answer, int status, String reason) {
        assertEquals(answer.body(), status, answer.status());
        assertTrue(answer.contentType(), answer.contentType().startsWith("application/problem+json"));
        assertTrue(answer.body(), answer.body().contains("\"status\":" + status)
                && answer.body().contains("\"reason\":\"" + reason + "\""));
    }

}
