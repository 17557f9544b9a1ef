package io.edgeai.training.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/** Training with the real engine (DJL, PyTorch on the CPU) on problems whose answers are known. */
public class TrainingRunTest {

    private static final TrainingRun.Progress QUIET = (epoch, train, validation, rate) -> { };

    private static TrainingRun.Result train(TrainSpec spec, float[][] x, float[][] y) {
        return TrainingRun.train(spec, x, y, Device.cpu(), QUIET, () -> false);
    }

    private static float[][] predict(TrainingRun.Result result, float[][] rows) throws Exception {
        return Forecasts.predict(result, rows);
    }


    /** Full-batch runs without validation or early stopping: the plain optimization problem. */
    private static TrainSpec linear(OptimizerSpec optimizer, int epochs, int batch) {
        return TrainSpec.of("linear", List.of()).withOptimizer(optimizer).withRun(epochs, batch, 0, 0);
    }

    /** The seed's own example: x = 1..5, y = x; gradient descent finds W = 1, b = 0. */
    @Test
    public void theSeedsExampleRecoversWeightOneAndBiasZero() throws Exception {
        float[][] x = {{1}, {2}, {3}, {4}, {5}};
        try (TrainingRun.Result result = train(linear(OptimizerSpec.of("sgd", 0.05), 3000, 5), x, x)) {
            float[][] at = predict(result, new float[][] {{0}, {1}});
            float bias = at[0][0];
            float weight = at[1][0] - at[0][0];
            assertEquals(1.0, weight, 1e-3);
            assertEquals(0.0, bias, 1e-3);
        }
    }

    /** y = Xw + b + noise: the trained weights are the closed-form least-squares solution. */
    @Test
    public void linearRegressionMatchesClosedFormLeastSquares() throws Exception {
        Problem p = Problem.linear(200, 7);
        try (TrainingRun.Result result = train(linear(OptimizerSpec.of("sgd", 0.1), 600, 200), p.x, p.y)) {
            double[] found = coefficients(result, 3);
            for (int i = 0; i < found.length; i++) {
                assertEquals("coefficient " + i, p.exact[i], found[i], 1e-3);
            }
        }
    }

    /** Every optimizer reaches the least-squares optimum of the same convex problem. */
    @Test
    public void everyOptimizerConvergesOnAConvexProblem() throws Exception {
        Problem p = Problem.linear(200, 11);
        ScheduleSpec cosine = new ScheduleSpec("cosine", 0, 1, 0, 0);
        record Case(String name, OptimizerSpec optimizer, ScheduleSpec schedule) {
        }
        List<Case> cases = List.of(
                new Case("sgd", OptimizerSpec.of("sgd", 0.1), ScheduleSpec.CONSTANT),
                new Case("sgd+momentum", OptimizerSpec.of("sgd", 0.02).withMomentum(0.9, false),
                        ScheduleSpec.CONSTANT),
                new Case("sgd+nesterov", OptimizerSpec.of("sgd", 0.02).withMomentum(0.9, true),
                        ScheduleSpec.CONSTANT),
                new Case("adagrad", OptimizerSpec.of("adagrad", 0.5), ScheduleSpec.CONSTANT),
                new Case("rmsprop", OptimizerSpec.of("rmsprop", 0.01), cosine),
                new Case("adam", OptimizerSpec.of("adam", 0.05), cosine));
        List<String> report = new ArrayList<>();
        for (Case c : cases) {
            TrainSpec spec = linear(c.optimizer(), 1000, 200).withSchedule(c.schedule());
            TrainingRun.Result trained;
            try {
                trained = train(spec, p.x, p.y);
            } catch (RuntimeException e) {
                throw new AssertionError(c.name() + ": " + e.getMessage(), e);
            }
            try (TrainingRun.Result result = trained) {
                double loss = result.trainLoss().get(result.trainLoss().size() - 1);
                double[] found = coefficients(result, 3);
                report.add(String.format("%s: loss %.6f (optimum %.6f)", c.name(), loss, p.optimalMse));
                assertEquals(c.name() + " loss", p.optimalMse, loss, 1e-3);
                for (int i = 0; i < found.length; i++) {
                    assertEquals(c.name() + " coefficient " + i, p.exact[i], found[i], 1e-2);
                }
            }
        }
        System.out.println(String.join("\n", report));
    }

    /** An MLP fits sin(x) on [-pi, pi] below a mean squared error of 1e-3. */
    @Test
    public void anMlpFitsANonlinearFunction() throws Exception {
        int n = 256;
        float[][] x = new float[n][1];
        float[][] y = new float[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = (float) (-Math.PI + 2 * Math.PI * i / (n - 1));
            y[i][0] = (float) Math.sin(x[i][0]);
        }
        TrainSpec spec = TrainSpec.of("mlp", List.of(32, 32)).withSetting("activation", "tanh")
                .withOptimizer(OptimizerSpec.of("adam", 0.01)).withSchedule(new ScheduleSpec("cosine", 0, 1, 0.01, 0))
                .withRun(800, 32, 0, 0).withSeed(3);
        try (TrainingRun.Result result = train(spec, x, y)) {
            float[][] out = predict(result, x);
            double mse = 0;
            for (int i = 0; i < n; i++) {
                mse += Math.pow(out[i][0] - y[i][0], 2) / n;
            }
            System.out.printf("MLP on sin(x): mse %.6f after %d epochs%n", mse, result.epochs());
            assertTrue("mse " + mse, mse < 1e-3);
        }
    }

    /** Two separated clouds: the classifier answers class probabilities and gets nearly all points right. */
    @Test
    public void theClassifierSeparatesTwoClasses() throws Exception {
        Random random = new Random(5);
        int n = 300;
        float[][] x = new float[n][2];
        float[][] y = new float[n][1];
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            x[i][0] = (float) (random.nextGaussian() + (label == 0 ? -2 : 2));
            x[i][1] = (float) (random.nextGaussian() + (label == 0 ? -2 : 2));
            y[i][0] = label;
        }
        TrainSpec spec = TrainSpec.of("mlp-classifier", List.of(8)).withOptimizer(OptimizerSpec.of("adam", 0.05))
                .withRun(60, 32, 0.2, 0);
        try (TrainingRun.Result result = train(spec, x, y)) {
            float[][] p = predict(result, x);
            int right = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(1.0, p[i][0] + p[i][1], 1e-5);
                right += (p[i][1] > p[i][0] ? 1 : 0) == (int) y[i][0] ? 1 : 0;
            }
            assertTrue("accuracy " + right / (double) n, right >= 0.97 * n);
        }
    }

    /** The autoencoder serves one score per row, the reconstruction error, far higher off the learned pattern. */
    @Test
    public void theAutoencoderScoresRowsOffItsPatternHigher() throws Exception {
        Random random = new Random(9);
        int n = 400;
        float[][] x = new float[n][4];
        for (int i = 0; i < n; i++) {
            double t = random.nextDouble() * 2 * Math.PI;
            x[i] = new float[] {(float) Math.sin(t), (float) Math.cos(t), (float) Math.sin(t),
                (float) Math.cos(t)};
        }
        TrainSpec spec = TrainSpec.of("autoencoder", List.of(8, 2)).withOptimizer(OptimizerSpec.of("adam", 0.01))
                .withRun(300, 32, 0.2, 20);
        try (TrainingRun.Result result = train(spec, x, null)) {
            float[][] scores = predict(result, new float[][] {x[0], x[1], {1, -1, -1, 1}});
            assertEquals(1, scores[0].length);
            assertTrue(scores[0][0] + " " + scores[2][0], scores[2][0] > 20 * Math.max(scores[0][0], scores[1][0]));
        }
    }

    /**
     * What serving does with a trained version: saved as DJL parameters, loaded into the block its architecture
     * settings rebuild, it computes the same outputs bit for bit (an MLP and an autoencoder's scores).
     */
    @Test
    public void savedParametersLoadIntoTheRebuiltServingBlock() throws Exception {
        Problem p = Problem.linear(64, 8);
        for (TrainSpec spec : List.of(TrainSpec.of("mlp", List.of(8, 4)).withRun(5, 16, 0, 0),
                TrainSpec.of("autoencoder", List.of(2)).withRun(5, 16, 0, 0))) {
            java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("trained");
            try (TrainingRun.Result result = train(spec, p.x, p.y)) {
                result.model().save(folder, "model");
                assertTrue(java.nio.file.Files.exists(folder.resolve("model-0000.params")));
                io.edgeai.djl.blocks.BuiltBlocks rebuilt = io.edgeai.djl.blocks.BuiltInArchitecture.named(
                        spec.architectureName()).orElseThrow().build(spec.architecture(), 3, 1);
                try (ai.djl.Model loaded = ai.djl.Model.newInstance("loaded", Device.cpu(), "PyTorch")) {
                    loaded.setBlock(rebuilt.serving());
                    loaded.load(folder, "model");
                    float[][] expected = predict(result, p.x);
                    float[][] got;
                    try (Predictor<NDList, NDList> predictor = loaded.newPredictor(new NoopTranslator());
                            NDManager manager = loaded.getNDManager().newSubManager()) {
                        float[] flat = new float[p.x.length * 3];
                        for (int i = 0; i < p.x.length; i++) {
                            System.arraycopy(p.x[i], 0, flat, i * 3, 3);
                        }
                        float[] out = predictor.predict(new NDList(manager.create(flat, new Shape(p.x.length, 3))))
                                .head().toFloatArray();
                        got = new float[p.x.length][1];
                        for (int i = 0; i < p.x.length; i++) {
                            got[i][0] = out[i];
                        }
                    }
                    for (int i = 0; i < p.x.length; i++) {
                        assertArrayEquals(spec.architectureName() + " row " + i, expected[i], got[i], 0f);
                    }
                }
            }
        }
    }

    /** A stuck sensor: data the untrained model already fits exactly has no gradient, and trains without failing. */
    @Test
    public void constantDataTheModelAlreadyFitsTrainsWithoutFailing() throws Exception {
        float[][] zeros = new float[64][8];
        float[][] targets = new float[64][1];
        TrainSpec spec = TrainSpec.of("mlp", List.of(16, 16)).withSetting("activation", "tanh").withRun(5, 32, 0.1, 0);
        try (TrainingRun.Result result = train(spec, zeros, targets)) {
            assertEquals(0, result.trainLoss().get(4), 0);
            assertEquals(0, predict(result, new float[][] {new float[8]})[0][0], 0);
        }
    }

    /** Patience: the run stops when the validation loss has not improved, keeping the best epoch's parameters. */
    @Test
    public void earlyStoppingKeepsTheBestEpoch() throws Exception {
        Problem p = Problem.linear(100, 3);
        TrainSpec spec = linear(OptimizerSpec.of("sgd", 0.1), 5000, 16).withRun(5000, 16, 0.3, 5);
        try (TrainingRun.Result result = train(spec, p.x, p.y)) {
            assertTrue(result.stoppedEarly());
            assertTrue(result.epochs() < 5000);
            assertEquals(result.bestEpoch() + 5, result.epochs());
            double best = result.validationLoss().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            assertEquals(best, result.bestLoss(), 0);
        }
    }

    /** The same spec, data and seed give the same run, loss for loss. */
    @Test
    public void aSeedMakesARunReproducible() throws Exception {
        Problem p = Problem.linear(120, 4);
        TrainSpec spec = TrainSpec.of("mlp", List.of(16)).withRun(20, 16, 0.25, 0).withSeed(42);
        try (TrainingRun.Result first = train(spec, p.x, p.y); TrainingRun.Result second = train(spec, p.x, p.y)) {
            assertEquals(first.trainLoss(), second.trainLoss());
            assertEquals(first.validationLoss(), second.validationLoss());
            assertArrayEquals(predict(first, p.x)[5], predict(second, p.x)[5], 0f);
        }
    }

    @Test
    public void badSpecsAndDataAreRefusedWithTheirReason() {
        Problem p = Problem.linear(50, 1);
        String unknown = assertThrows(InvalidSpecException.class, () -> train(
                linear(OptimizerSpec.of("adamw2", 0.1), 10, 10), p.x, p.y)).getMessage();
        assertEquals("optimizer: unknown type 'adamw2' (known: sgd, adagrad, rmsprop, adam)", unknown);
        assertTrue(assertThrows(InvalidSpecException.class, () -> train(TrainSpec.of("transformer", List.of()),
                p.x, p.y)).getMessage().contains("known: linear, mlp, mlp-classifier, autoencoder"));
        assertEquals("no training data: 0 rows", assertThrows(InvalidSpecException.class, () -> train(
                linear(OptimizerSpec.of("sgd", 0.1), 10, 10), new float[0][], new float[0][])).getMessage());
        float[][] holed = p.x.clone();
        holed[3] = new float[] {1, Float.NaN, 2};
        assertTrue(assertThrows(InvalidSpecException.class, () -> train(linear(OptimizerSpec.of("sgd", 0.1), 10,
                10), holed, p.y)).getMessage().startsWith("inputs: row 3 holds NaN"));
        assertTrue(assertThrows(InvalidSpecException.class, () -> train(linear(OptimizerSpec.of("sgd", 0.1), 10,
                10).withRun(10, 10, 0.001, 0), p.x, p.y)).getMessage().contains("nothing to validate on"));
        // a learning rate far too high on large values: the loss overflows, the run fails saying what to change
        float[][] large = new float[50][1];
        for (int i = 0; i < 50; i++) {
            large[i][0] = 1000 * i;
        }
        String diverged = assertThrows(TrainingFailedException.class, () -> train(linear(OptimizerSpec.of("sgd",
                10), 50, 10), large, large)).getMessage();
        assertTrue(diverged, diverged.startsWith("the loss became") && diverged.contains("lower the learning rate"));
    }

    @Test
    public void aCancelledRunStopsBetweenBatches() {
        Problem p = Problem.linear(100, 2);
        AtomicInteger asked = new AtomicInteger();
        String message = assertThrows(CancellationException.class, () -> TrainingRun.train(linear(
                OptimizerSpec.of("sgd", 0.01), 1000, 10), p.x, p.y, Device.cpu(), QUIET,
                () -> asked.incrementAndGet() > 25)).getMessage();
        assertEquals("cancelled in epoch 3", message);
    }

    /** f(0) is the bias; f(e_i) - f(0) the weight of input i. Returns w_0..w_{k-1}, b. */
    private static double[] coefficients(TrainingRun.Result result, int inputs) throws Exception {
        float[][] at = new float[inputs + 1][inputs];
        for (int i = 0; i < inputs; i++) {
            at[i + 1][i] = 1;
        }
        float[][] out = predict(result, at);
        double[] c = new double[inputs + 1];
        for (int i = 0; i < inputs; i++) {
            c[i] = out[i + 1][0] - out[0][0];
        }
        c[inputs] = out[0][0];
        return c;
    }

    /** y = Xw + b + noise with 3 standard normal inputs, and its exact least-squares solution (w..., b). */
    private record Problem(float[][] x, float[][] y, double[] exact, double optimalMse) {

        static Problem linear(int n, long seed) {
            Random random = new Random(seed);
            double[] w = {2, -1, 0.5};
            double b = 3;
            float[][] x = new float[n][3];
            float[][] y = new float[n][1];
            for (int i = 0; i < n; i++) {
                double sum = b;
                for (int j = 0; j < 3; j++) {
                    x[i][j] = (float) random.nextGaussian();
                    sum += w[j] * x[i][j];
                }
                y[i][0] = (float) (sum + 0.1 * random.nextGaussian());
            }
            double[] exact = leastSquares(x, y);
            double mse = 0;
            for (int i = 0; i < n; i++) {
                double fit = exact[3];
                for (int j = 0; j < 3; j++) {
                    fit += exact[j] * x[i][j];
                }
                mse += Math.pow(y[i][0] - fit, 2) / n;
            }
            return new Problem(x, y, exact, mse);
        }

        /** Normal equations [X 1]^T [X 1] c = [X 1]^T y by Gaussian elimination with partial pivoting. */
        private static double[] leastSquares(float[][] x, float[][] y) {
            int k = x[0].length + 1;
            double[][] a = new double[k][k + 1];
            for (int i = 0; i < x.length; i++) {
                double[] row = new double[k];
                for (int j = 0; j < k - 1; j++) {
                    row[j] = x[i][j];
                }
                row[k - 1] = 1;
                for (int r = 0; r < k; r++) {
                    for (int c = 0; c < k; c++) {
                        a[r][c] += row[r] * row[c];
                    }
                    a[r][k] += row[r] * y[i][0];
                }
            }
            for (int col = 0; col < k; col++) {
                int pivot = col;
                for (int r = col + 1; r < k; r++) {
                    if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                        pivot = r;
                    }
                }
                double[] t = a[col];
                a[col] = a[pivot];
                a[pivot] = t;
                for (int r = 0; r < k; r++) {
                    if (r != col) {
                        double f = a[r][col] / a[col][col];
                        for (int c = col; c <= k; c++) {
                            a[r][c] -= f * a[col][c];
                        }
                    }
                }
            }
            double[] solution = new double[k];
            for (int i = 0; i < k; i++) {
                solution[i] = a[i][k] / a[i][i];
            }
            return solution;
        }
    }
}
