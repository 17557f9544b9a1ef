package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Clients that ask a model without pause, counting the answers of version 1 and keeping anything else. */
final class PredictTraffic implements AutoCloseable {

    final java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
    final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients;

    PredictTraffic(String api, String model, int count) {
        clients = Executors.newFixedThreadPool(count);
        for (int c = 0; c < count; c++) {
            clients.submit(() -> {
                while (running.get()) {
                    Http.Answer answer = Http.postJson(api + "/" + model + "/predict", "{\"inputs\": [[1, 2, 3, 4]]}");
                    if (answer.status() == 200 && answer.body().contains("\"version\":1")) {
                        answered.incrementAndGet();
                    } else {
                        wrong.add(answer.status() + " " + answer.body());
                    }
                }
                return null;
            });
        }
    }

    /** Waits until {@code n} more answers came. */
    void answers(long n) {
        long seen = answered.get();
        await().atMost(Duration.ofSeconds(EdgeAiTestSupport.TIMEOUT_SECONDS)).until(() -> answered.get() >= seen + n);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
    }

    /** Asserts that nothing failed, and that the model's version counted every answer: it was not reloaded. */
    void assertNothingFailedNorReloaded(String api, String model) throws IOException {
        assertTrue(wrong.size() + " failed, e.g. " + wrong.peek(), wrong.isEmpty());
        String metrics = ModelsApi.curl(api.replace("/api/v1/models", "/metrics"))[1];
        java.util.regex.Matcher requests = java.util.regex.Pattern.compile(
                "edgeai_model_requests_total\\{model=\"" + model + "\"\\} ([0-9.E]+)").matcher(metrics);
        assertTrue(metrics, requests.find());
        assertTrue("counted since the version loaded: " + requests.group(1) + ", answered " + answered.get(),
                Double.parseDouble(requests.group(1)) >= answered.get());
    }
}
