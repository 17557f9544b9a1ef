package io.edgeai.training.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.edgeai.djl.blocks.BuiltInArchitecture;
import io.edgeai.djl.explain.IntegratedGradients;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Integrated Gradients (edgeai-djl's io.edgeai.djl.explain) with the real engine, here because this module's tests have
 * it: exact on a linear block, complete to 1e-3 on a non-linear one, taking turns with training at the gate.
 */
public class IntegratedGradientsTest {

    private static Block block(Model model, String name, List<Integer> hidden, int inputs) {
        return block(model, name, hidden, inputs, 1);
    }

    private static Block block(Model model, String name, List<Integer> hidden, int inputs, int outputs) {
        Block block = BuiltInArchitecture.catalog().build(Map.of("name", name, "hidden", hidden, "activation",
                "tanh"), inputs, outputs).serving();
        Engine.getEngine("PyTorch").setRandomSeed(3);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, inputs));
        return block;
    }

    @Test
    public void gaussLegendreNodesIntegratePolynomialsExactly() {
        double[][] q = IntegratedGradients.gaussLegendre(50);
        double weights = 0;
        double power = 0;
        for (int k = 0; k < 50; k++) {
            assertTrue(q[0][k] > 0 && q[0][k] < 1);
            weights += q[1][k];
            power += q[1][k] * Math.pow(q[0][k], 99);
        }
        assertEquals(1, weights, 1e-13);
        assertEquals("x^99 over [0, 1]", 1.0 / 100, power, 1e-13);
    }

    @Test
    public void onALinearBlockTheAttributionsAreTheWeightsTimesTheDistance() {
        try (Model model = Model.newInstance("ig")) {
            Block linear = block(model, "linear", List.of(), 3);
            float[] w = linear.getParameters().get(0).getValue().getArray().toFloatArray();
            float[] x = {1f, -2f, 0.5f};
            float[] b = {0.2f, 0.1f, -0.3f};
            IntegratedGradients.Attribution a = IntegratedGradients.explain(linear, model.getNDManager(), x, b, 8, 0);
            for (int i = 0; i < 3; i++) {
                assertEquals("input " + i, w[i] * (x[i] - b[i]), a.attributions()[i], 1e-5);
            }
            assertTrue(a.completenessError() < 1e-5);
        }
    }

    @Test
    public void onAnMlpTheAttributionsAddUpToTheChangeOfTheOutput() {
        try (Model model = Model.newInstance("ig")) {
            Block mlp = block(model, "mlp", List.of(16, 8), 4);
            float[] x = {1.5f, -0.7f, 2.2f, 0.1f};
            float[] baseline = {0f, 0f, 0f, 0f};
            IntegratedGradients.Attribution a = IntegratedGradients.explain(mlp, model.getNDManager(), x, baseline,
                    50, 0);
            assertTrue("completeness " + a.completenessError(), a.completenessError() < 1e-3);
            IntegratedGradients.Attribution again = IntegratedGradients.explain(mlp, model.getNDManager(), x,
                    baseline, 50, 0);
            assertArrayEquals("the same every time", a.attributions(), again.attributions(), 0f);
        }
    }

    @Test
    public void rowsExplainedTogetherAreExplainedAsEachAlone() {
        try (Model model = Model.newInstance("ig")) {
            Block mlp = block(model, "mlp", List.of(16, 8), 4, 3);
            java.util.Random random = new java.util.Random(5);
            float[][] rows = new float[5][4];
            for (float[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) (2 * random.nextGaussian());
                }
            }
            float[] baseline = {0.1f, -0.2f, 0f, 0.3f};
            int[] outputs = {0, 2, 1, 0, 2};
            IntegratedGradients.Attribution[] together = IntegratedGradients.explain(mlp, model.getNDManager(), rows,
                    baseline, 50, outputs);
            for (int r = 0; r < rows.length; r++) {
                IntegratedGradients.Attribution alone = IntegratedGradients.explain(mlp, model.getNDManager(),
                        rows[r], baseline, 50, outputs[r]);
                assertArrayEquals("row " + r, alone.attributions(), together[r].attributions(), 1e-5f);
                assertEquals(alone.output(), together[r].output(), 1e-5);
                assertEquals(alone.baseline(), together[r].baseline(), 1e-5);
                assertTrue("completeness " + together[r].completenessError(), together[r].completenessError() < 1e-3);
            }
        }
    }

    @Test
    public void anExplanationDuringTrainingAnswersWhileTheJobStillRuns() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger epochs = new java.util.concurrent.atomic.AtomicInteger();
        float[][] x = new float[256][];
        float[][] y = new float[256][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new float[] {i / 256f, 1 - i / 256f};
            y[i] = new float[] {2 * x[i][0] - x[i][1]};
        }
        Thread training = new Thread(() -> {
            try (TrainingRun.Result ignored = TrainingRun.train(TrainSpec.of("mlp", List.of(32)).withRun(100000,
                    8, 0, 0), x, y, ai.djl.Device.cpu(), (epoch, t, v, r) -> epochs.incrementAndGet(),
                    stop::get)) {
                throw new AssertionError("the job was to run until stopped");
            } catch (java.util.concurrent.CancellationException e) {
                // stopped by the test
            }
        });
        training.start();
        try (Model model = Model.newInstance("ig")) {
            Block mlp = block(model, "mlp", List.of(8), 2);
            while (epochs.get() < 2 && training.isAlive()) {
                Thread.onSpinWait(); // the job is under way, taking the gate a batch at a time
            }
            IntegratedGradients.Attribution a = IntegratedGradients.explain(mlp, model.getNDManager(),
                    new float[] {1f, 2f}, new float[] {0f, 0f}, 20, 0);
            assertTrue("answered while the job runs", training.isAlive());
            assertTrue(a.completenessError() < 1e-3);
        } finally {
            stop.set(true);
            training.join();
        }
    }
}
