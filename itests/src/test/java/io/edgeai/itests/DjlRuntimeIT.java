package io.edgeai.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.edgeai.api.engine.EngineInfo;
import io.edgeai.api.engine.EngineRuntime;
import io.edgeai.api.engine.EngineState;
import org.junit.Test;

/** PyTorch computes inside the container: the engine service, the console command, a forward pass, a training step. */
public class DjlRuntimeIT extends EdgeAiTestSupport {

    @Test
    public void engineIsPyTorchOnCpu() {
        EngineInfo info = StartedEngine.of(this).info();
        assertEquals("PyTorch", info.name());
        assertEquals("2.7.1", info.version());
        assertEquals("cpu", info.device());
        assertEquals(EngineState.READY, info.state());
        assertTrue(info.intraOpThreads() >= 1);

        String console = executeCommand("edgeai:engine");
        assertTrue(console, console.contains("PyTorch") && console.contains("2.7.1") && console.contains("cpu")
                && console.contains("READY"));
        assertEquals("offline mode is pinned", "true", System.getProperty("ai.djl.offline"));
        assertTrue(console, console.contains("libtorch (CPU build) at ") && console.contains("none (a CPU build)"));
        assertTrue(info.library(), info.library().endsWith("/lib/pytorch"));
    }

    @Test
    public void aGpuAskedForOnAMachineWithoutOneStopsTheEngineAndSaysWhatToDo() throws java.io.IOException {
        StartedEngine.of(this);
        executeCommand("config:property-set -p io.edgeai.djl device gpu");
        try {
            EngineInfo refused = waitForService(EngineRuntime.class, "(engine.state=FAILED)").info();
            assertTrue(refused.reason(), refused.reason().contains("device = gpu is configured but the engine sees 0"
                    + " GPU(s)") && refused.reason().contains("(CPU build)")
                    && refused.reason().contains("install libtorch 2.7.1 built for CUDA"));
            io.edgeai.api.monitoring.Health health = waitForService(io.edgeai.api.monitoring.HealthIndicator.class,
                    "(engine.state=FAILED)").health();
            assertEquals(io.edgeai.api.monitoring.Status.DOWN, health.status());
            // the console's first row judges the gateway as GET /api/v1/health does: down, naming the component
            String status = executeCommand("edgeai:status");
            assertTrue(status, status.lines().anyMatch(line -> line.startsWith("gateway") && line.contains("DOWN")
                    && line.contains("engine down (see below)")));
            // a scrape says so too: the gauge reads 0 (it is there also when the engine never was ready)
            String http = "http://127.0.0.1:" + port(waitForService(io.edgeai.api.connector.Connector.class,
                    "(connector.name=http)").endpoint(), "http");
            String[] scrape = ModelsApi.curl(http + "/metrics");
            assertEquals("200", scrape[0]);
            assertTrue(scrape[1], scrape[1].lines().anyMatch(line -> line.startsWith("edgeai_engine_ready{")
                    && line.contains("device=\"\"") && line.endsWith(" 0.0")));
            try {
                executeCommand("edgeai:engine");
                throw new IllegalStateException("edgeai:engine did not fail");
            } catch (AssertionError expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("The engine is not running: device"
                        + " = gpu is configured"));
            }
        } finally {
            executeCommand("config:property-set -p io.edgeai.djl device auto");
        }
        assertEquals("cpu", StartedEngine.of(this).info().device());
    }

    @Test
    public void forwardPassComputes() {
        StartedEngine.of(this);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(Device.cpu())) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray b = manager.create(new float[] {5, 6, 7, 8}, new Shape(2, 2));
            // [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]]
            assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray(), 0f);
            assertArrayEquals(new float[] {0.5f, 0.7310586f}, Activation.sigmoid(manager.create(new float[] {0, 1}))
                    .toFloatArray(), 1e-6f);
        }
    }

    @Test
    public void oneTrainingStepLowersTheLoss() {
        StartedEngine.of(this);
        try (Model model = Model.newInstance("it-linear", Device.cpu(), "PyTorch")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 1));
                NDManager manager = trainer.getManager();
                NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(4, 1));
                NDArray y = x.mul(2).add(1);
                float before = loss(trainer, x, y);
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray prediction = trainer.forward(new NDList(x)).singletonOrThrow();
                    collector.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(prediction)));
                }
                trainer.step();
                float after = loss(trainer, x, y);
                assertTrue("loss " + before + " -> " + after, after < before);
            }
        }
    }

    private static float loss(Trainer trainer, NDArray x, NDArray y) {
        NDArray prediction = trainer.evaluate(new NDList(x)).singletonOrThrow();
        return trainer.getLoss().evaluate(new NDList(y), new NDList(prediction)).getFloat();
    }
}
