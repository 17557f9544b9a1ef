package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.monitoring.HealthIndicator;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * Named API credentials against curl, with requests from this machine given no scopes (as from the network): each
 * scope opens what it names and nothing else, a device list keeps a credential to its devices, a quota answers 429
 * with Retry-After, tokens are kept hashed, and the metrics count every credential's requests by outcome.
 */
public class ApiCredentialsIT extends EdgeAiTestSupport {

    private String base;

    @Override
    protected Option[] additionalOptions() {
        return new Option[] {editConfigurationFilePut("etc/io.edgeai.security.api.cfg", "localScopes", "")};
    }

    private Curl.Reply call(String token, String method, String path, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-X", method));
        if (token != null) {
            all.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        all.addAll(List.of(args));
        return Curl.call(base + path, all.toArray(new String[0]));
    }

    private static final String[] READING = {"-H", "Content-Type: application/json", "--data-binary",
        "{\"values\": {\"t\": 1}}"};

    private String add(String arguments) {
        String printed = executeCommand("edgeai:credential-add " + arguments);
        String[] lines = printed.trim().split("\\R");
        String token = lines[lines.length - 1].trim();
        assertTrue(printed, token.startsWith("eai_") && token.length() > 40);
        return token;
    }

    private static void assertRefused(Curl.Reply reply, int status, String reason) {
        assertEquals(reply.body(), status, reply.status());
        assertTrue(reply.contentType(), reply.contentType().startsWith("application/problem+json"));
        assertTrue(reply.body(), reply.body().contains("\"reason\":\"" + reason + "\""));
    }

    /** Past the credential check: whatever the servlet made of the request, it was not refused for access. */
    private static void assertPassed(Curl.Reply reply) {
        assertFalse(reply.status() + " " + reply.body(), List.of(401, 403, 429).contains(reply.status()));
    }

    @Test
    public void eachScopeOpensWhatItNamesAndQuotasAnswer429() throws Exception {
        Connector http = waitForService(Connector.class, "(connector.name=http)");
        base = "http://127.0.0.1:" + port(http.endpoint(), "http");
        Curl.awaitServlet(base, Duration.ofSeconds(TIMEOUT_SECONDS));

        // without a credential: readings in (anonymousScopes = ingest), the dashboard's page, nothing else
        assertEquals(200, call(null, "POST", "/api/v1/telemetry/pump-1", READING).status());
        // (the dashboard's servlet comes with the monitoring bundle, a moment after the HTTP connector's)
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> call(null, "GET", "/").status() == 200);
        Curl.Reply page = call(null, "GET", "/");
        assertTrue(page.body(), page.body().contains("id=\"login\""));
        Curl.Reply metrics = call(null, "GET", "/metrics");
        assertRefused(metrics, 401, "unauthorized");
        assertEquals("Bearer realm=\"edgeai\"", metrics.headers().get("www-authenticate"));
        assertFalse("no device id to anyone", metrics.body().contains("pump-1"));
        assertRefused(call(null, "GET", "/api/v1/dashboard"), 401, "unauthorized");
        assertRefused(call(null, "GET", "/api/v1/health"), 401, "unauthorized");
        assertRefused(call(null, "GET", "/api/v1/training-jobs/1"), 401, "unauthorized");
        assertRefused(call(null, "POST", "/api/v1/models/m/rollback"), 401, "unauthorized");
        assertRefused(call("eai_not-a-credential", "GET", "/metrics"), 401, "unauthorized");
        assertRefused(Curl.call(base + "/metrics", "-u", "karaf:karaf"), 401, "unauthorized");

        String reader = add("reader read");
        String line3 = add("--devices pump-* line3 ingest");
        String modeler = add("modeler models");
        String trainer = add("trainer training");
        String predictor = add("predictor predict");
        String ops = add("ops admin");
        String limited = add("--rate 0.1 --burst 1 limited read");

        File stored = new File(System.getProperty("karaf.etc"), "edgeai-api-credentials.properties");
        String file = Files.readString(stored.toPath());
        for (String token : List.of(reader, line3, modeler, trainer, predictor, ops, limited)) {
            assertFalse("tokens are kept hashed", file.contains(token));
        }
        assertTrue(file, file.contains("line3 = sha256:") && file.contains("devices=pump-*"));

        // read: metrics, health, the dashboard's data, models and jobs; no changes
        Curl.Reply scraped = call(reader, "GET", "/metrics");
        assertEquals(200, scraped.status());
        assertTrue(scraped.body().contains("edgeai_api_requests_total"));
        assertEquals(200, call(reader, "GET", "/api/v1/dashboard").status());
        assertPassed(call(reader, "GET", "/api/v1/health"));
        assertEquals(200, call(reader, "GET", "/api/v1/models").status());
        assertRefused(call(reader, "POST", "/api/v1/models/m/rollback"), 403, "forbidden");
        assertRefused(call(reader, "POST", "/api/v1/telemetry/pump-1", READING), 403, "forbidden");

        // ingest with a device list: its devices only
        assertEquals(200, call(line3, "POST", "/api/v1/telemetry/pump-2", READING).status());
        Curl.Reply otherDevice = call(line3, "POST", "/api/v1/telemetry/valve-1", READING);
        assertRefused(otherDevice, 403, "forbidden");
        assertTrue(otherDevice.body(), otherDevice.body().contains("valve-1"));
        assertRefused(call(line3, "GET", "/metrics"), 403, "forbidden");

        // models, training, predict: each reaches its servlet (which answers for the unknown model or bad spec)
        assertPassed(call(modeler, "POST", "/api/v1/models/none/rollback"));
        assertRefused(call(modeler, "POST", "/api/v1/training-jobs", "--data-binary", "{}"), 403, "forbidden");
        assertPassed(call(trainer, "POST", "/api/v1/training-jobs", "-H", "Content-Type: application/json",
                "--data-binary", "{}"));
        assertRefused(call(trainer, "POST", "/api/v1/models/none/rollback"), 403, "forbidden");
        assertPassed(call(predictor, "POST", "/api/v1/models/none/predict", "-H", "Content-Type: application/json",
                "--data-binary", "{\"inputs\": [[1]]}"));
        assertRefused(call(predictor, "POST", "/api/v1/models/none/versions"), 403, "forbidden");
        for (String[] request : new String[][] {{"GET", "/metrics"}, {"POST", "/api/v1/models/none/rollback"},
            {"POST", "/api/v1/telemetry/valve-1"}}) {
            assertPassed(call(ops, request[0], request[1], READING));
        }

        // a quota of one request per 10 s: the second at once is answered 429 with when to come back
        assertEquals(200, call(limited, "GET", "/api/v1/models").status());
        Curl.Reply throttled = call(limited, "GET", "/api/v1/models");
        assertRefused(throttled, 429, "throttled");
        long retryAfter = Long.parseLong(throttled.headers().get("retry-after"));
        assertTrue("Retry-After " + retryAfter, retryAfter >= 1 && retryAfter <= 10);

        // counted per credential and outcome
        String counted = call(reader, "GET", "/metrics").body();
        for (String series : List.of("credential=\"limited\",outcome=\"throttled\"} 1.0",
                "credential=\"line3\",outcome=\"forbidden\"} 2.0", "credential=\"unknown\",outcome=\"unauthorized\"} 2.0",
                "credential=\"local\",outcome=\"allowed\"}", "credential=\"local\",outcome=\"unauthorized\"}")) {
            assertTrue(series, counted.contains("edgeai_api_requests_total{" + series));
        }
        String listing = executeCommand("edgeai:credential-list");
        assertTrue(listing, listing.contains("line3") && listing.contains("pump-*") && listing.contains("throttled=1"));
        assertFalse(listing, listing.contains(line3));
        String health = null;
        for (var reference : bundleContext.getServiceReferences(HealthIndicator.class, null)) {
            HealthIndicator indicator = bundleContext.getService(reference);
            if (indicator != null && indicator.health().component().equals("api-access")) {
                health = indicator.health().status() + " " + indicator.health().reason();
            }
        }
        assertTrue(health, health != null && health.startsWith("UP 7 API credential(s)"));

        // removed: refused from the next request on; a second removal is an error for a script
        executeCommand("edgeai:credential-remove reader");
        assertRefused(call(reader, "GET", "/metrics"), 401, "unauthorized");
        String failure = null;
        try {
            executeCommand("edgeai:credential-remove reader");
        } catch (AssertionError | RuntimeException e) {
            failure = e.getMessage();
        }
        assertTrue(String.valueOf(failure), failure != null && failure.contains("No credential named reader"));
    }
}
