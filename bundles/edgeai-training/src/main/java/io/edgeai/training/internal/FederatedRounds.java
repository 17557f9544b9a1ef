package io.edgeai.training.internal;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.edgeai.api.training.FederatedTraining.LocalUpdate;
import io.edgeai.djl.blocks.ArchitectureCatalog;
import io.edgeai.djl.blocks.BuiltBlocks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The training side of federated rounds: a participant's local training (from the global parameters, FedProx's
 * proximal term), the sample-weighted average of updates, and the archive of a global model. Parameters travel in DJL's
 * own format of the architecture's training block.
 */
final class FederatedRounds {

    private FederatedRounds() {
    }

    /** The spec as a round trains it: every row, every epoch, unless the spec says otherwise. */
    static Map<String, Object> roundSpec(Map<String, Object> spec) {
        Map<String, Object> round = new LinkedHashMap<>(spec);
        round.putIfAbsent("validationSplit", 0.0);
        round.putIfAbsent("earlyStopping", Map.of("patience", 0));
        round.remove("model");
        return round;
    }

    static LocalUpdate train(JobSpec parsed, TrainingData data, byte[] global, double mu, Device device,
            ArchitectureCatalog architectures, BooleanSupplier cancelled) {
        if (data.pipeline() != null) {
            throw new InvalidSpecException("pipeline: a federated spec takes none (each gateway would fit its own)");
        }
        if (!(mu >= 0) || !Double.isFinite(mu)) {
            throw new InvalidSpecException("mu: " + mu + " is not a weight (0 or more)");
        }
        try (TrainingRun.Result result = TrainingRun.train(parsed.train(), data.inputs(), data.targets(), device,
                architectures, (epoch, train, validation, rate) -> { }, cancelled, new TrainingRun.Start(global,
                mu))) {
            return new LocalUpdate(TrainingRun.parameters(result.training()), result.trainedRows(), result.inputs(),
                    result.outputs(), result.trainLoss().get(result.trainLoss().size() - 1), data.inputNames());
        } catch (IllegalStateException e) {
            throw new InvalidSpecException("the global parameters do not fit the spec's architecture: "
                    + e.getMessage());
        }
    }

    /** FedAvg's server step: each parameter the sample-weighted mean of the updates'. */
    static LocalUpdate average(TrainSpec spec, List<LocalUpdate> updates, ArchitectureCatalog architectures) {
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("nothing to average");
        }
        LocalUpdate first = updates.get(0);
        long samples = 0;
        double loss = 0;
        for (LocalUpdate update : updates) {
            if (update.inputs() != first.inputs() || update.outputs() != first.outputs() || update.samples() <= 0) {
                throw new IllegalArgumentException("updates of different shapes (" + update.inputs() + " -> "
                        + update.outputs() + ", " + update.samples() + " samples) cannot be averaged");
            }
            samples += update.samples();
            loss += update.loss() * update.samples();
        }
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            List<Block> blocks = new ArrayList<>();
            for (LocalUpdate update : updates) {
                Block block = build(spec, first, architectures).training();
                TrainingRun.restore(block, update.parameters(), manager);
                blocks.add(block);
            }
            Block into = blocks.get(0);
            List<Parameter> target = into.getParameters().values();
            for (int p = 0; p < target.size(); p++) {
                NDArray array = target.get(p).getArray();
                float[] mean = new float[(int) array.size()];
                for (int k = 0; k < blocks.size(); k++) {
                    float[] values = blocks.get(k).getParameters().get(p).getValue().getArray().toFloatArray();
                    if (values.length != mean.length) {
                        throw new IllegalArgumentException("parameter " + target.get(p).getName()
                                + " differs in size");
                    }
                    double weight = (double) updates.get(k).samples() / samples;
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] += (float) (weight * values[i]);
                    }
                }
                array.set(mean);
            }
            return new LocalUpdate(TrainingRun.parameters(into), samples, first.inputs(), first.outputs(),
                    loss / samples, first.inputNames());
        }
    }

    /** Every parameter value of an update, in the block's order (for checks and measures). */
    static float[] flat(TrainSpec spec, LocalUpdate update, ArchitectureCatalog architectures) {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            Block block = build(spec, update, architectures).training();
            TrainingRun.restore(block, update.parameters(), manager);
            List<Float> values = new ArrayList<>();
            for (Parameter parameter : block.getParameters().values()) {
                for (float v : parameter.getArray().toFloatArray()) {
                    values.add(v);
                }
            }
            float[] flat = new float[values.size()];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = values.get(i);
            }
            return flat;
        }
    }

    /** The global model's archive, written as a training job writes one. */
    static Path export(TrainSpec spec, LocalUpdate global, Map<String, Double> metrics, Map<String, Object> lineage,
            Device device, ArchitectureCatalog architectures, Path folder) throws IOException {
        BuiltBlocks built = build(spec, global, architectures);
        try (Model model = Model.newInstance("federated", device, "PyTorch")) {
            if (built.serving() != built.training()) {
                built.serving().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, global.inputs()));
            } else {
                built.training().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, global.inputs()));
            }
            TrainingRun.restore(built.training(), global.parameters(), model.getNDManager());
            model.setBlock(built.serving());
            TrainingRun.Result result = new TrainingRun.Result(model, built.serving(), built.servedOutputs(), 0, 1,
                    List.of(global.loss()), List.of(), false, new int[0], spec.loss(), built.training(),
                    global.inputs(), global.outputs(), (int) Math.min(Integer.MAX_VALUE, global.samples()));
            return ModelExport.write(result, spec, global.inputs(), global.inputNames(), metrics, lineage, null,
                    List.of(), null, folder);
        }
    }

    private static BuiltBlocks build(TrainSpec spec, LocalUpdate shape, ArchitectureCatalog architectures) {
        try {
            return architectures.build(spec.architecture(), shape.inputs(), shape.outputs());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(e.getMessage());
        }
    }
}
