package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code GET /api/v1/health} at boot, as a script or a watchdog reads it: the first 200 comes only once every API it
 * stands for answers. (It came while the models API still answered 503 for a few hundred milliseconds: a script that
 * waited for health and then uploaded its models failed.)
 */
public class ReadinessIT {

    @Rule
    public TemporaryFolder tmp = GatewayProcess.folder();

    private GatewayProcess gateway;

    @Before
    public void unpack() throws Exception {
        gateway = GatewayProcess.unpack(tmp.getRoot().toPath());
    }

    @After
    public void stop() throws Exception {
        gateway.stop();
    }

    @Test
    public void theFirstHealthyAnswerComesOnceEveryApiAnswers() throws Exception {
        String http = "http://127.0.0.1:" + gateway.httpPort;
        gateway.start(false);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> !gateway.alive() || Http.get(http + "/api/v1/health").status() == 200);
        // at once, as the script that waited goes on
        Map<String, Integer> answers = new LinkedHashMap<>();
        answers.put("GET /api/v1/models", Http.get(http + "/api/v1/models").status());
        answers.put("GET /api/v1/training-jobs", Http.get(http + "/api/v1/training-jobs").status());
        answers.put("POST /api/v1/anomaly/d1/replay (no CSV)", Http.post(http + "/api/v1/anomaly/d1/replay",
                "text/plain", new byte[0]).status());
        answers.put("POST /api/v1/telemetry/d1", Http.postJson(http + "/api/v1/telemetry/d1",
                "{\"values\": {\"t\": 21.5}}").status());
        answers.put("GET /metrics", Http.get(http + "/metrics").status());
        answers.put("GET /", Http.get(http + "/").status());
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("GET /api/v1/models", 200);
        expected.put("GET /api/v1/training-jobs", 200);
        expected.put("POST /api/v1/anomaly/d1/replay (no CSV)", 415);
        expected.put("POST /api/v1/telemetry/d1", 200);
        expected.put("GET /metrics", 200);
        expected.put("GET /", 200);
        assertEquals("answers right after the first healthy one; " + gateway.errors(), expected, answers);
    }
}
