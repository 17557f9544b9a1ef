package io.edgeai.inference.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.ModelSpec;
import io.edgeai.djl.blocks.ArchitectureCatalog;
import io.edgeai.djl.blocks.BuiltBlocks;
import java.io.IOException;
import java.nio.file.Path;

/** Loading model versions with DJL (PyTorch engine) and running batches on them. */
final class DjlModels {

    private DjlModels() {
    }

    /**
     * Loads a model from an unpacked archive onto a device ({@code cpu}, {@code gpu(0)}): TorchScript as it is; DJL
     * parameters into the block its architecture builds. A model that fails to load is closed here: nothing native is
     * left behind.
     */
    static Model load(Path directory, ModelSpec spec, String device, ArchitectureCatalog architectures)
            throws InvalidModelException {
        Model model = Model.newInstance("model", Device.fromName(device), "PyTorch");
        try {
            if (ModelSpec.DJL.equals(spec.format())) {
                BuiltBlocks blocks = architectures.build(spec.architecture(), spec.inputSize(), spec.outputSize());
                if (blocks.servedOutputs() != spec.outputSize()) {
                    throw new InvalidModelException("architecture " + spec.architecture().get("name") + " serves "
                            + blocks.servedOutputs() + " outputs a row; model.json declares " + spec.outputSize());
                }
                model.setBlock(blocks.serving());
            }
            model.load(directory, "model");
            return model;
        } catch (InvalidModelException e) {
            model.close();
            throw e;
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new InvalidModelException("cannot load the " + spec.format() + " model: " + message(e), e);
        }
    }

    /** A runner with its own predictor: rows in as one [n, width] tensor, one output row per input row. */
    static Batcher.Runner runner(Model model, ModelSpec spec) {
        Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
        return new Batcher.Runner() {
            @Override
            public float[][] run(float[][] rows) throws Exception {
                return forward(model, predictor, spec, rows);
            }

            @Override
            public void close() {
                predictor.close();
            }
        };
    }

    static float[][] forward(Model model, Predictor<NDList, NDList> predictor, ModelSpec spec,
            float[][] rows) throws Exception {
        int width = spec.inputSize();
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray x = manager.create(flat, new Shape(rows.length, width));
            NDList out = predictor.predict(new NDList(x));
            if (out.isEmpty()) {
                throw new IllegalStateException("the model returned no output");
            }
            NDArray y = out.head();
            long[] shape = y.getShape().getShape();
            long outWidth = shape.length == 1 ? 1 : shape[shape.length - 1];
            if (shape.length > 2 || shape[0] != rows.length || outWidth != spec.outputSize()) {
                throw new IllegalStateException("output shape " + y.getShape() + " for " + rows.length
                        + " rows; model.json declares [-1, " + spec.outputSize() + "]");
            }
            float[] values = y.getDataType() == DataType.FLOAT32 ? y.toFloatArray()
                    : y.toType(DataType.FLOAT32, false).toFloatArray();
            float[][] result = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                result[i] = new float[(int) outWidth];
                System.arraycopy(values, (int) (i * outWidth), result[i], 0, (int) outWidth);
            }
            return result;
        }
    }

    static String message(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = text.indexOf('\n');
        return newline > 0 ? text.substring(0, newline) : text;
    }
}
