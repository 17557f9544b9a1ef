package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.inference.InferenceService;
import io.edgeai.api.model.ModelRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;
import org.osgi.framework.ServiceReference;

/**
 * A model kept busy by a flood of predict requests, with a queue of one request: every protocol says "overloaded" in
 * its own words and names the wait - HTTP 503 with Retry-After, CoAP 5.03 with Max-Age (telemetry and predict) - and
 * counts it; MQTT readings, which the broker has already acknowledged, are not refused but kept: the device hears
 * once on its error topic, and every reading is answered on its predictions topic when the model has room.
 */
public class BackpressureIT extends EdgeAiTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RETRY_AFTER = 3;

    /** 4 inputs, two hidden layers of 2048: about 4 M multiply-adds a row, slow enough to keep a queue full. */
    private static final String SLOW = """
            import sys, torch
            torch.manual_seed(0)
            m = torch.nn.Sequential(torch.nn.Linear(4, 2048), torch.nn.ReLU(), torch.nn.Linear(2048, 2048),
                                    torch.nn.ReLU(), torch.nn.Linear(2048, 1)).eval()
            torch.jit.save(torch.jit.trace(m, torch.zeros(1, 4)), sys.argv[1] + "/model.pt")
            """;

    /** Each connector's service id by its name: a connector that restarted comes back under a new id. */
    private Map<Object, Object> connectorServices() throws Exception {
        Map<Object, Object> ids = new TreeMap<>();
        for (ServiceReference<Connector> connector : bundleContext.getServiceReferences(Connector.class, null)) {
            ids.put(connector.getProperty("connector.name"), connector.getProperty("service.id"));
        }
        assertTrue(ids.toString(), ids.keySet().containsAll(List.of("coap", "http", "mqtt")));
        return ids;
    }

    @Test
    public void overloadIsAnsweredInEveryProtocolAndMqttReadingsAreKept() throws Exception {
        waitForService(ModelRegistry.class, null);
        waitForService(InferenceService.class, null);
        String api = ModelsApi.base(port(waitForService(Connector.class, "(connector.name=http)").endpoint(),
                "http"));
        String telemetry = api.replace("/models", "/telemetry/");

        assertEquals("201", ModelsApi.upload(api, "slow", ModelsApi.archive(SLOW, TorchScript.modelJson(4, 1)))[0]);
        executeCommand("config:property-set -p io.edgeai.inference queueCapacity 1");
        executeCommand("config:property-set -p io.edgeai.inference maxBatchSize 1");
        executeCommand("config:property-set -p io.edgeai.inference retryAfterSeconds " + RETRY_AFTER);
        ExecutorService flood = Executors.newFixedThreadPool(12);
        AtomicBoolean flooding = new AtomicBoolean(true);
        try {
            // the inference service takes the new settings up (the health text shows them)
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                    executeCommand("edgeai:status").contains("batches of up to 1 rows, queue 1"));
            assertEquals("200", ModelsApi.curl(api + "/slow/versions/1/promote", "-X", "POST")[0]);
            Connector coap = waitForService(Connector.class, "(connector.name=coap)");
            Connector mqtt = waitForService(Connector.class, "(connector.name=mqtt)");
            Map<Object, Object> connectors = connectorServices();
            executeCommand("config:property-set -p io.edgeai.telemetry model slow");
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> Http.postJson(telemetry + "probe",
                    reading(0)).body().contains("\"model\":\"slow\""));
            // binding the default route to a model does not restart the connectors (devices stay connected)
            assertEquals(connectors, connectorServices());
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> mqtt.health().status() == Status.UP);
            String coapBase = "coap://127.0.0.1:" + port(coap.endpoint(), "coap");

            // 12 clients ask the model without pause: its one-request queue is full nearly all the time
            AtomicLong answered = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            List<Future<?>> floods = new ArrayList<>();
            for (int c = 0; c < 12; c++) {
                floods.add(flood.submit(() -> {
                    while (flooding.get()) {
                        Http.Answer a = Http.postJson(api + "/slow/predict", "{\"inputs\": [[1, 2, 3, 4]]}");
                        if (a.status() == 200) {
                            answered.incrementAndGet();
                        } else if (a.status() == 503 && String.valueOf(RETRY_AFTER).equals(a.header("Retry-After"))
                                && a.body().contains("\"reason\":\"overloaded\"")) {
                            refused.incrementAndGet();
                        } else {
                            wrong.add(a.status() + " " + a.header("Retry-After") + " " + a.body());
                        }
                    }
                    return null;
                }));
            }

            // HTTP telemetry through the default route: 503, Retry-After, the reason
            Http.Answer[] busy = new Http.Answer[1];
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
                busy[0] = Http.postJson(telemetry + "h1", reading(1));
                return busy[0].status() == 503;
            });
            assertEquals(String.valueOf(RETRY_AFTER), busy[0].header("Retry-After"));
            assertEquals("overloaded", JSON.readTree(busy[0].body()).get("reason").asText());

            // CoAP, libcoap's client: 5.03 with Max-Age, for telemetry and for predict
            for (String[] request : new String[][] {{"/telemetry/c1", reading(2)},
                    {"/models/slow/predict", "{\"inputs\": [[1, 2, 3, 4]]}"}}) {
                String[] seen = new String[1];
                await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
                    seen[0] = CoapClient.postJson(coapBase + request[0], request[1], "-v", "6"); // prints code, options
                    return seen[0].contains("5.03");
                });
                assertTrue(seen[0], seen[0].contains("Max-Age:" + RETRY_AFTER));
            }

            // MQTT: readings published until one meets the full queue; the device is told, the reading is kept
            Mosquitto mosquitto = new Mosquitto(port(mqtt.endpoint(), "mqtt"), MQTT_USER, MQTT_PASSWORD);
            mosquitto.subscribe("it-busy-errors", "edgeai/errors/q1");
            mosquitto.subscribe("it-busy-answers", "edgeai/predictions/q1");
            List<Integer> published = new ArrayList<>();
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> {
                int n = published.size() + 1;
                assertEquals(0, mosquitto.pub("-V", "mqttv311", "-q", "1", "-t", "edgeai/telemetry/q1", "-m",
                        "{\"ts\": " + (1764450000000L + n) + ", \"values\": {\"a\": " + n
                        + ", \"b\": 0, \"c\": 0, \"d\": 0}}").exit());
                published.add(n);
                return count("mqtt", "deferred.overloaded") > 0;
            });
            JsonNode told = JSON.readTree(mosquitto.receive("it-busy-errors", 1, "edgeai/errors/q1").get(0)
                    .substring("edgeai/errors/q1 ".length()));
            assertEquals("overloaded", told.get("reason").asText());
            assertEquals(RETRY_AFTER, told.get("retryAfterSeconds").asInt());
            assertTrue(told.toString(), told.get("kept").asBoolean());

            flooding.set(false);
            for (Future<?> f : floods) {
                f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            // every published reading is answered, in order, by the model
            List<String> answers = mosquitto.receive("it-busy-answers", published.size(), "edgeai/predictions/q1");
            for (int i = 0; i < published.size(); i++) {
                JsonNode answer = JSON.readTree(answers.get(i).substring("edgeai/predictions/q1 ".length()));
                assertEquals(answer.toString(), 1764450000000L + published.get(i), answer.get("ts").asLong());
                assertEquals(answer.toString(), "slow", answer.get("model").asText());
            }
            System.out.printf("flood: %d answered, %d refused with 503; %d MQTT readings, all answered%n",
                    answered.get(), refused.get(), published.size());
            assertTrue("wrong answers under load: " + wrong, wrong.isEmpty());
            assertTrue("some predict requests answered", answered.get() > 0);
            assertTrue("some predict requests refused", refused.get() > 0);
            // only this test overloads anything in its container
            assertTrue(count("http", "rejected.overloaded") > 0);
            assertTrue(count("coap", "rejected.overloaded") >= 2);
            assertEquals("MQTT readings are not refused", 0, count("mqtt", "rejected.overloaded"));
            assertEquals("each refused predict counted once", refused.get(), count("http-models",
                    "rejected.overloaded"));
        } finally {
            flooding.set(false);
            flood.shutdown();
            assertTrue(flood.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            executeCommand("config:property-set -p io.edgeai.telemetry model \"\"");
            executeCommand("config:property-delete -p io.edgeai.inference queueCapacity");
            executeCommand("config:property-delete -p io.edgeai.inference maxBatchSize");
            executeCommand("config:property-delete -p io.edgeai.inference retryAfterSeconds");
        }
    }

    private static String reading(int n) {
        return "{\"values\": {\"a\": " + n + ", \"b\": 2, \"c\": 3, \"d\": 4}}";
    }

    private long count(String connector, String counter) {
        return ConnectorCounts.of(waitForService(Connector.class, "(connector.name=" + connector + ")"))
                .getOrDefault(counter, 0L);
    }
}
