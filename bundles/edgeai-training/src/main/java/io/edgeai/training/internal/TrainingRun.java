package io.edgeai.training.internal;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import io.edgeai.djl.blocks.ArchitectureCatalog;
import io.edgeai.djl.blocks.BuiltBlocks;
import io.edgeai.djl.blocks.BuiltInArchitecture;
import io.edgeai.djl.explain.Gradients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * One training run with DJL: seeded shuffle and validation split, mini-batches with the spec's optimizer and
 * learning-rate schedule, a validation loss each epoch, early stopping that keeps the best epoch's parameters, and a
 * clear failure when the loss stops being a number. The caller owns the returned model.
 */
final class TrainingRun {

    /** Told after every epoch. */
    interface Progress {
        void epoch(int epoch, double trainLoss, double validationLoss, double learningRate);
    }

    /** The trained model (serving block, best parameters) and how the run went. */
    record Result(Model model, Block serving, int servedOutputs, int epochs, int bestEpoch, List<Double> trainLoss,
            List<Double> validationLoss, boolean stoppedEarly, int[] validationRows, String loss, Block training,
            int inputs, int outputs, int trainedRows)
            implements AutoCloseable {

        /** The validation loss of the kept parameters (the training loss when nothing was held out). */
        double bestLoss() {
            List<Double> losses = validationLoss.isEmpty() ? trainLoss : validationLoss;
            return losses.get(bestEpoch - 1);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * Where a run starts: the parameters of the architecture's training block (as {@link #parameters(Block)} wrote
     * them; null = fresh, seeded) and FedProx's proximal weight {@code mu} (0 = none): the loss minimised is the data
     * loss plus mu/2 times the squared distance of the parameters to the start (Li et al. 2020).
     */
    record Start(byte[] parameters, double mu) {
        static final Start FRESH = new Start(null, 0);
    }

    /** The proximal term's anchor: the start's parameters, in the block's order. */
    private record Proximal(Block block, List<NDArray> anchor, float mu) {
    }

    private TrainingRun() {
    }

    /**
     * Trains on rows {@code x} with targets {@code y} (regression: values; classifier: one class index per row;
     * autoencoder: ignored, the rows are their own targets).
     *
     * @throws InvalidSpecException for a spec or data that cannot train
     * @throws TrainingFailedException when the loss became NaN or infinite
     * @throws CancellationException when {@code cancelled} said so between two batches
     */
    static Result train(TrainSpec spec, float[][] x, float[][] y, Device device, Progress progress,
            BooleanSupplier cancelled) {
        return train(spec, x, y, device, BuiltInArchitecture.catalog(), progress, cancelled);
    }

    static Result train(TrainSpec spec, float[][] x, float[][] y, Device device, ArchitectureCatalog architectures,
            Progress progress, BooleanSupplier cancelled) {
        return train(spec, x, y, device, architectures, progress, cancelled, Start.FRESH);
    }

    static Result train(TrainSpec spec, float[][] x, float[][] y, Device device, ArchitectureCatalog architectures,
            Progress progress, BooleanSupplier cancelled, Start start) {
        spec.check();
        Rows data = Rows.of(spec, x, y);
        BuiltBlocks built;
        try {
            built = architectures.build(spec.architecture(), data.inputs, data.outputs);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(e.getMessage());
        }
        String lossName = spec.loss().isEmpty() ? built.defaultLoss() : spec.loss();
        Random random = new Random(spec.seed()); // seeded: the same spec and data give the same run
        Split split = Split.of(spec, x.length, random);
        int batch = Math.min(spec.batchSize(), split.train.length);
        Tracker rate = Optimizers.rate(spec.optimizer().learningRate(), spec.schedule(), spec.epochs(),
                (split.train.length + batch - 1) / batch);

        Engine.getEngine("PyTorch").setRandomSeed((int) spec.seed());
        Model model = Model.newInstance("trained", device, "PyTorch");
        boolean done = false;
        try {
            if (built.serving() != built.training()) {
                // the serving block wraps the trained one: initialized first, so that it counts as ready to save
                // and serve once the shared parameters are trained
                built.serving().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                        new Shape(batch, data.inputs));
            }
            model.setBlock(built.training());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Optimizers.loss(lossName))
                    .optOptimizer(Optimizers.optimizer(spec.optimizer(), rate)).optDevices(new Device[] {device});
            List<Double> trainLosses = new ArrayList<>();
            List<Double> validationLosses = new ArrayList<>();
            EarlyStopping stopping = new EarlyStopping(spec, built.training());
            int epoch = 0;
            // before the trainer: it keeps the arrays it finds at its start
            Proximal proximal = begin(built.training(), start, model.getNDManager());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, data.inputs));
                int[] updates = {0};
                while (epoch < spec.epochs()) {
                    epoch++;
                    shuffle(split.train, random);
                    double trainLoss = epoch(trainer, data, split.train, batch, epoch, rate, updates, cancelled,
                            proximal);
                    trainLosses.add(trainLoss);
                    double validationLoss = split.validation.length == 0 ? Double.NaN
                            : evaluate(trainer, data.x, data.targets, split.validation, data.inputs, data.width,
                                    batch);
                    if (split.validation.length > 0) {
                        validationLosses.add(validationLoss);
                    }
                    progress.epoch(epoch, trainLoss, validationLoss, rate.getNewValue(updates[0]));
                    if (stopping.stopAfter(epoch, split.validation.length == 0 ? trainLoss : validationLoss)) {
                        break;
                    }
                }
                stopping.keepBest(epoch, model.getNDManager());
            }
            model.setBlock(built.serving());
            done = true;
            return new Result(model, built.serving(), built.servedOutputs(), epoch, stopping.bestEpoch,
                    List.copyOf(trainLosses), List.copyOf(validationLosses), stopping.early, split.validation,
                    lossName, built.training(), data.inputs, data.outputs, split.train.length);
        } finally {
            if (!done) {
                model.close();
            }
        }
    }

    /**
     * Puts the start's parameters into the block to be trained (before the trainer starts, which then finds them
     * initialized and keeps them), ready for gradients, and returns the proximal term's anchor, or null without one.
     */
    private static Proximal begin(Block block, Start start, NDManager manager) {
        if (start.parameters() == null) {
            return null;
        }
        restore(block, start.parameters(), manager);
        List<NDArray> anchor = new ArrayList<>();
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> parameter : block.getParameters()) {
            NDArray array = parameter.getValue().getArray();
            if (parameter.getValue().requiresGradient()) {
                array.setRequiresGradient(true);
            }
            anchor.add(manager.create(array.toFloatArray(), array.getShape()));
        }
        return start.mu() > 0 ? new Proximal(block, anchor, (float) start.mu()) : null;
    }

    /** The rows checked: inputs, their targets (the inputs themselves for an autoencoder), widths. */
    private static final class Rows {
        final float[][] x;
        final float[][] targets;
        final int inputs;
        final int width;
        final int outputs;

        private Rows(float[][] x, float[][] targets, int outputs) {
            this.x = x;
            this.targets = targets;
            this.inputs = x[0].length;
            this.width = targets[0].length;
            this.outputs = outputs;
        }

        static Rows of(TrainSpec spec, float[][] x, float[][] y) {
            int rows = x.length;
            if (rows == 0) {
                throw new InvalidSpecException("no training data: 0 rows");
            }
            boolean autoencoder = "autoencoder".equals(spec.architectureName());
            boolean classifier = "mlp-classifier".equals(spec.architectureName());
            float[][] targets = autoencoder ? x : y;
            if (targets == null || targets.length != rows) {
                throw new InvalidSpecException("targets: " + (targets == null ? 0 : targets.length) + " rows for "
                        + rows + " input rows");
            }
            checkRows(x, x[0].length, "inputs");
            checkRows(targets, targets[0].length, "targets");
            return new Rows(x, targets, classifier ? classes(targets) : targets[0].length);
        }
    }

    /** The seeded split into rows to train on and rows held out for validation. */
    private static final class Split {
        final int[] train;
        final int[] validation;

        private Split(int[] train, int[] validation) {
            this.train = train;
            this.validation = validation;
        }

        static Split of(TrainSpec spec, int rows, Random random) {
            int[] order = new int[rows];
            for (int i = 0; i < rows; i++) {
                order[i] = i;
            }
            shuffle(order, random);
            int held = (int) Math.floor(rows * spec.validationSplit());
            if (spec.validationSplit() > 0 && (held == 0 || held == rows)) {
                throw new InvalidSpecException("validationSplit " + spec.validationSplit() + " of " + rows
                        + " rows leaves " + (held == 0 ? "nothing to validate on" : "nothing to train on"));
            }
            return new Split(java.util.Arrays.copyOfRange(order, held, rows),
                    java.util.Arrays.copyOfRange(order, 0, held));
        }
    }

    /**
     * One epoch over the training rows in mini-batches: forward, loss, backward, step; the mean training loss. Fails
     * when the loss stops being a number, stops between two batches when cancelled.
     */
    private static double epoch(Trainer trainer, Rows data, int[] train, int batch, int epoch, Tracker rate,
            int[] updates, BooleanSupplier cancelled, Proximal proximal) {
        double sum = 0;
        for (int from = 0; from < train.length; from += batch) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled in epoch " + epoch);
            }
            int to = Math.min(train.length, from + batch);
            try (NDManager batchManager = trainer.getManager().newSubManager()) {
                NDList inputs = new NDList(rows(batchManager, data.x, train, from, to, data.inputs));
                NDList labels = new NDList(rows(batchManager, data.targets, train, from, to, data.width));
                // the engine's one gradient collector, a batch at a time: an explanation waits one batch at most
                float value = Gradients.exclusive(() -> {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList predictions = trainer.forward(inputs);
                        NDArray lossValue = trainer.getLoss().evaluate(labels, predictions);
                        collector.backward(proximal == null ? lossValue : lossValue.add(distance(proximal,
                                batchManager)));
                        return lossValue.getFloat();
                    }
                });
                if (!Float.isFinite(value)) {
                    throw new TrainingFailedException("the loss became " + value + " in epoch " + epoch
                            + " (learning rate " + rate.getNewValue(updates[0])
                            + "): lower the learning rate, scale the data, or clip gradients");
                }
                if (value > 0) {
                    trainer.step();
                } // else the batch is fitted exactly (constant data): no gradient, nothing to change
                updates[0]++;
                sum += value * (to - from);
            }
        }
        return sum / train.length;
    }

    /**
     * Early stopping on the watched loss (validation, else training): with patience, the best epoch's parameters are
     * kept and training stops after {@code patience} epochs without a better one; without, the last epoch's are the
     * result.
     */
    private static final class EarlyStopping {
        private final TrainSpec spec;
        private final Block block;
        private final boolean keepBest;
        private byte[] best;
        private double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch;
        boolean early;

        EarlyStopping(TrainSpec spec, Block block) {
            this.spec = spec;
            this.block = block;
            this.keepBest = spec.patience() > 0;
        }

        /** Records an epoch's watched loss; true when training should stop. */
        boolean stopAfter(int epoch, double watched) {
            if (!Double.isFinite(watched)) {
                throw new TrainingFailedException("the validation loss became " + watched + " in epoch " + epoch
                        + ": lower the learning rate or scale the data");
            }
            if (watched < bestLoss - spec.minDelta()) {
                bestLoss = watched;
                bestEpoch = epoch;
                if (keepBest) {
                    best = parameters(block);
                }
            } else if (keepBest && epoch - bestEpoch >= spec.patience()) {
                early = true;
                return true;
            }
            return false;
        }

        /** After the last epoch: puts the best epoch's parameters back (in {@code manager}, outliving the trainer). */
        void keepBest(int lastEpoch, NDManager manager) {
            if (!keepBest) {
                bestEpoch = lastEpoch; // without early stopping the last epoch's parameters are the result
            } else if (bestEpoch != lastEpoch) {
                restore(block, best, manager);
            }
        }
    }

    private static double evaluate(Trainer trainer, float[][] x, float[][] targets, int[] rows, int inputs,
            int width, int batch) {
        double sum = 0;
        for (int from = 0; from < rows.length; from += batch) {
            int to = Math.min(rows.length, from + batch);
            try (NDManager manager = trainer.getManager().newSubManager()) {
                NDList labels = new NDList(rows(manager, targets, rows, from, to, width));
                NDList predictions = trainer.evaluate(new NDList(rows(manager, x, rows, from, to, inputs)));
                sum += trainer.getLoss().evaluate(labels, predictions).getFloat() * (to - from);
            }
        }
        return sum / rows.length;
    }

    /** mu/2 times the squared distance of the block's parameters to the anchor (kept in the batch's manager). */
    private static NDArray distance(Proximal proximal, NDManager batchManager) {
        NDArray sum = null;
        int i = 0;
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> parameter : proximal.block().getParameters()) {
            NDArray difference = parameter.getValue().getArray().sub(proximal.anchor().get(i++));
            difference.attach(batchManager);
            NDArray squared = difference.square().sum();
            squared.attach(batchManager);
            sum = sum == null ? squared : sum.add(squared);
            sum.attach(batchManager);
        }
        NDArray term = sum.mul(proximal.mu() / 2);
        term.attach(batchManager);
        return term;
    }

    private static NDArray rows(NDManager manager, float[][] source, int[] order, int from, int to, int width) {
        float[] flat = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            System.arraycopy(source[order[i]], 0, flat, (i - from) * width, width);
        }
        return manager.create(flat, new Shape(to - from, width));
    }

    /** A block's parameters in DJL's own format ({@code Block.saveParameters}). */
    static byte[] parameters(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the best parameters", e);
        }
        return bytes.toByteArray();
    }

    static void restore(Block block, byte[] parameters, NDManager manager) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            block.loadParameters(manager, in);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new IllegalStateException("cannot restore the best parameters", e);
        }
    }

    private static void checkRows(float[][] rows, int width, String what) {
        if (width == 0) {
            throw new InvalidSpecException(what + ": rows without values");
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != width) {
                throw new InvalidSpecException(what + ": row " + i + " has " + (rows[i] == null ? 0 : rows[i].length)
                        + " values, the first has " + width);
            }
            for (float v : rows[i]) {
                if (!Float.isFinite(v)) {
                    throw new InvalidSpecException(what + ": row " + i + " holds " + v + " (clean the data with a"
                            + " pipeline first)");
                }
            }
        }
    }

    private static int classes(float[][] labels) {
        int max = 0;
        for (int i = 0; i < labels.length; i++) {
            float label = labels[i][0];
            if (labels[i].length != 1 || label < 0 || label != Math.rint(label)) {
                throw new InvalidSpecException("targets: a classifier takes one class index (0, 1, ...) per row;"
                        + " row " + i + " has " + java.util.Arrays.toString(labels[i]));
            }
            max = Math.max(max, (int) label);
        }
        return max + 1;
    }

    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
