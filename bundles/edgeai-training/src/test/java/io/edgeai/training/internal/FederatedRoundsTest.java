package io.edgeai.training.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.Device;
import io.edgeai.api.training.FederatedTraining.LocalUpdate;
import io.edgeai.djl.blocks.BuiltInArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/**
 * Federated rounds with the real engine: a run goes on from given parameters, the average is sample-weighted, and
 * FedAvg (and FedProx) over three gateways' non-IID shards of one regression reaches the model trained on all the data.
 */
public class FederatedRoundsTest {

    private static final int ROUNDS = 20;
    private static final int EPOCHS = 5;
    private static final TrainingRun.Progress QUIET = (epoch, train, validation, rate) -> { };

    /** y = 2a - b + 1 + noise, a drawn from [from, to): each gateway sees its own range of a (non-IID). */
    private static float[][][] shard(long seed, double from, double to, int rows) {
        Random random = new Random(seed);
        float[][] x = new float[rows][];
        float[][] y = new float[rows][];
        for (int i = 0; i < rows; i++) {
            double a = from + (to - from) * random.nextDouble();
            double b = random.nextGaussian();
            x[i] = new float[] {(float) a, (float) b};
            y[i] = new float[] {(float) (2 * a - b + 1 + 0.05 * random.nextGaussian())};
        }
        return new float[][][] {x, y};
    }

    private static TrainSpec spec(int epochs) {
        return TrainSpec.of("mlp", List.of(8)).withSetting("activation", "tanh")
                .withOptimizer(OptimizerSpec.of("adam", 0.02)).withRun(epochs, 32, 0, 0);
    }

    private static LocalUpdate round(TrainSpec spec, float[][][] data, byte[] global, double mu) {
        try (TrainingRun.Result r = TrainingRun.train(spec, data[0], data[1], Device.cpu(),
                BuiltInArchitecture.catalog(), QUIET, () -> false, new TrainingRun.Start(global, mu))) {
            return new LocalUpdate(TrainingRun.parameters(r.training()), r.trainedRows(), r.inputs(), r.outputs(),
                    r.trainLoss().get(r.trainLoss().size() - 1), List.of("a", "b"));
        }
    }

    /** The mean squared error of parameters on rows (one full batch from them, a learning rate of 1e-12). */
    private static double mse(LocalUpdate model, float[][][] data) {
        TrainSpec evaluate = TrainSpec.of("mlp", List.of(8)).withSetting("activation", "tanh")
                .withOptimizer(OptimizerSpec.of("sgd", 1e-12)).withRun(1, data[0].length, 0, 0);
        return round(evaluate, data, model.parameters(), 0).loss();
    }

    @Test
    public void aRunGoesOnFromTheParametersItIsGiven() {
        float[][][] data = shard(1, -2, 2, 400);
        LocalUpdate trained = round(spec(40), data, null, 0);
        LocalUpdate fresh = round(spec(1), data, null, 0);
        LocalUpdate resumed = round(spec(1), data, trained.parameters(), 0);
        assertTrue("resumed " + resumed.loss() + " vs trained " + trained.loss() + " vs fresh " + fresh.loss(),
                resumed.loss() < fresh.loss() / 20);
        assertEquals(400, resumed.samples());
    }

    @Test
    public void theAverageIsWeightedBySamples() {
        float[][][] data = shard(2, -1, 1, 64);
        LocalUpdate one = round(spec(2), data, null, 0);
        LocalUpdate other = round(spec(30), data, null, 0);
        LocalUpdate weighted = new LocalUpdate(other.parameters(), 3 * one.samples(), other.inputs(),
                other.outputs(), other.loss(), other.inputNames());
        LocalUpdate mean = FederatedRounds.average(spec(1), List.of(one, weighted), BuiltInArchitecture.catalog());
        float[] a = FederatedRounds.flat(spec(1), one, BuiltInArchitecture.catalog());
        float[] b = FederatedRounds.flat(spec(1), other, BuiltInArchitecture.catalog());
        float[] m = FederatedRounds.flat(spec(1), mean, BuiltInArchitecture.catalog());
        for (int i = 0; i < m.length; i++) {
            assertEquals("parameter value " + i, 0.25 * a[i] + 0.75 * b[i], m[i], 1e-6);
        }
        assertEquals(4 * one.samples(), mean.samples());
    }

    @Test
    public void fedAvgAndFedProxOnNonIidShardsReachTheCentralModel() {
        List<float[][][]> shards = List.of(shard(11, -3, -1, 300), shard(12, -1, 1, 300), shard(13, 1, 3, 300));
        float[][][] all = concat(shards);
        // the same budget of epochs over the same rows, on one machine
        double central = mse(round(spec(ROUNDS * EPOCHS), all, null, 0), all);
        for (double mu : new double[] {0, 0.1}) {
            byte[] global = null;
            LocalUpdate average = null;
            for (int r = 0; r < ROUNDS; r++) {
                List<LocalUpdate> updates = new ArrayList<>();
                for (float[][][] shard : shards) {
                    updates.add(round(spec(EPOCHS), shard, global, mu));
                }
                average = FederatedRounds.average(spec(2), updates, BuiltInArchitecture.catalog());
                global = average.parameters();
            }
            double federated = mse(average, all);
            double variance = variance(all[1]);
            System.out.printf("federated mu=%s: %d rounds x %d epochs, MSE %.5f (R2 %.4f) vs central %.5f (R2 %.4f,"
                    + " %d epochs)%n", mu, ROUNDS, EPOCHS, federated, 1 - federated / variance, central,
                    1 - central / variance, ROUNDS * EPOCHS);
            assertTrue("mu " + mu + ": federated " + federated + " vs central " + central + " (variance " + variance
                    + ")", (federated - central) / variance < 0.01);
        }
    }

    private static double variance(float[][] y) {
        double mean = 0;
        for (float[] row : y) {
            mean += row[0] / y.length;
        }
        double sum = 0;
        for (float[] row : y) {
            sum += (row[0] - mean) * (row[0] - mean);
        }
        return sum / y.length;
    }

    private static float[][][] concat(List<float[][][]> shards) {
        List<float[]> x = new ArrayList<>();
        List<float[]> y = new ArrayList<>();
        for (float[][][] s : shards) {
            x.addAll(List.of(s[0]));
            y.addAll(List.of(s[1]));
        }
        return new float[][][] {x.toArray(new float[0][]), y.toArray(new float[0][])};
    }
}
