package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.monitoring.Status;
import io.edgeai.api.reading.ResultListener;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * bundle:update of the CoAP connector, twice, while a device (coap-client-notls) keeps sending confirmable readings:
 * every reading that got its 2.04 went through direct:edgeai-telemetry, none twice, and the connector serves again.
 */
public class CoapHotUpdateIT extends EdgeAiTestSupport {

    private static final int REQUESTS = 240;
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)\\.0");

    @Test
    public void acknowledgedReadingsSurviveUpdatesOfTheConnector() throws Exception {
        Connector coap = waitForService(Connector.class, "(connector.name=coap)");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> coap.health().status() == Status.UP);
        String url = "coap://127.0.0.1:" + port(coap.endpoint(), "coap") + "/telemetry/hot";

        Set<Integer> processed = ConcurrentHashMap.newKeySet();
        Set<Integer> processedTwice = ConcurrentHashMap.newKeySet();
        ResultListener counter = (device, json) -> {
            Matcher m = SEQ.matcher(json);
            if ("hot".equals(device) && m.find() && !processed.add(Integer.parseInt(m.group(1)))) {
                processedTwice.add(Integer.parseInt(m.group(1)));
            }
        };
        ServiceRegistration<ResultListener> registration =
                bundleContext.registerService(ResultListener.class, counter, null);

        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService device = Executors.newSingleThreadExecutor();
        Future<?> sending = device.submit(() -> {
            for (int seq = 0; seq < REQUESTS; seq++) {
                ProcessBuilder post = new ProcessBuilder("coap-client-notls", "-B", "15", "-m", "post", "-t", "50",
                        "-e", "{\"values\": {\"seq\": " + seq + "}}", url).redirectError(ProcessBuilder.Redirect.DISCARD);
                Process process = post.start();
                String out = new String(process.getInputStream().readAllBytes());
                process.waitFor(30, TimeUnit.SECONDS);
                if (out.contains("\"seq\":" + seq + ".0")) {
                    acknowledged.add(seq);
                }
            }
            return null;
        });

        Bundle connector = bundle("io.edgeai.connector.coap");
        for (int update = 1; update <= 2; update++) {
            int target = update * REQUESTS / 3;
            await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= target);
            executeCommand("bundle:update " + connector.getBundleId());
        }
        sending.get(10, TimeUnit.MINUTES);
        device.shutdown();
        registration.unregister();

        Set<Integer> lost = ConcurrentHashMap.newKeySet();
        lost.addAll(acknowledged);
        lost.removeAll(processed);
        System.out.printf("CoAP hot update: %d sent, %d acknowledged, %d processed%n", REQUESTS, acknowledged.size(),
                processed.size());
        assertEquals("acknowledged but never processed", Set.of(), lost);
        assertEquals("processed twice", Set.of(), processedTwice);
        assertTrue("the connector serves after the updates: " + acknowledged.size(),
                acknowledged.size() > 2 * REQUESTS / 3);
        assertEquals(Bundle.ACTIVE, connector.getState());
    }
}
