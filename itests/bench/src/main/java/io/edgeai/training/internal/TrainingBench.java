package io.edgeai.training.internal;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The gateway's training path (TrainingRun, as a job runs it) on a CSV the Python side wrote: an MLP 16-64-64-1,
 * Adam 1e-3, mini-batches of 64, MSE; one warm-up epoch, then epochs/s over the rest.
 *
 * <pre>TrainingBench CSV EPOCHS</pre> (threads: -Dai.djl.pytorch.num_threads)
 */
public final class TrainingBench {

    private TrainingBench() {
    }

    public static void main(String[] args) {
        Path csv = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            inputs.add("x" + i);
        }
        TrainingData data = TrainingData.load(new JobSpec.Csv(csv, inputs, List.of("y")), 10_000_000);
        TrainSpec spec = TrainSpec.of("mlp", List.of(64, 64)).withOptimizer(OptimizerSpec.of("adam", 0.001))
                .withRun(epochs + 1, 64, 0, 0);
        long[] marks = new long[epochs + 2];
        double[] last = new double[1];
        marks[0] = System.nanoTime();
        try (TrainingRun.Result result = TrainingRun.train(spec, data.inputs(), data.targets(), Device.cpu(),
                (epoch, train, validation, rate) -> {
                    marks[epoch] = System.nanoTime();
                    last[0] = train;
                }, () -> false)) {
            double seconds = (marks[epochs + 1] - marks[1]) / 1e9;
            System.out.printf(Locale.ROOT, "djl epochs/s %.3f loss %.5f rows %d%n", epochs / seconds, last[0],
                    data.inputs().length);
        }
    }
}
