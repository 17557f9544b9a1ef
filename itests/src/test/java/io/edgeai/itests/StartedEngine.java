package io.edgeai.itests;

import io.edgeai.api.engine.EngineRuntime;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts the gateway's engine and waits until it is ready (see {@link EdgeAiTestSupport#StartedEngine.of(this)}). */
final class StartedEngine {

    private StartedEngine() {
    }

    static EngineRuntime of(EdgeAiTestSupport test) {
        EngineRuntime engine = test.waitForService(EngineRuntime.class, "(!(engine.state=FAILED))");
        try {
            engine.start().toCompletableFuture().get(EdgeAiTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the engine did not start: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return test.waitForService(EngineRuntime.class, "(engine.state=READY)");
    }
}
