package io.edgeai.djl.explain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * Integrated Gradients (Sundararajan et al. 2017) of one output of a DJL block: for input x and baseline b, attribution
 * i = (x_i - b_i) times the integral of the output's gradient along the straight path from b to x, computed by
 * Gauss-Legendre quadrature of {@code steps} nodes (exact for polynomials of degree 2 steps - 1: far closer to the
 * integral than as many equal steps), all in one batched forward and backward pass. Completeness: the attributions
 * sum to f(x) - f(b) up to the quadrature's error, which {@link Attribution} reports.
 */
public final class IntegratedGradients {

    /**
     * The attributions of one row.
     *
     * @param attributions one per input, in the input's order
     * @param output f(x), {@code baseline} f(b)
     * @param completenessError |sum(attributions) - (f(x) - f(b))| relative to max(|f(x) - f(b)|, 1e-6)
     */
    public record Attribution(float[] attributions, double output, double baseline, double completenessError) {
    }

    private IntegratedGradients() {
    }

    /** Explains {@code block}'s output number {@code output} at {@code x} against {@code baseline}. */
    public static Attribution explain(Block block, NDManager parent, float[] x, float[] baseline, int steps,
            int output) {
        return explain(block, parent, new float[][] {x}, baseline, steps, new int[] {output})[0];
    }

    /**
     * Explains each row of {@code xs} (its output number {@code outputs[r]}) against {@code baseline}, all rows' paths
     * in one forward and one backward pass (the block treats rows independently, as a block in inference mode does).
     */
    public static Attribution[] explain(Block block, NDManager parent, float[][] xs, float[] baseline, int steps,
            int[] outputs) {
        if (steps < 1 || xs.length != outputs.length) {
            throw new IllegalArgumentException("steps >= 1 and an output per row");
        }
        int width = baseline.length;
        int rows = xs.length;
        double[][] nodes = gaussLegendre(steps);
        float[] path = new float[rows * steps * width];
        for (int r = 0; r < rows; r++) {
            if (xs[r].length != width) {
                throw new IllegalArgumentException("an input and a baseline of one width");
            }
            for (int k = 0; k < steps; k++) {
                double alpha = nodes[0][k];
                for (int i = 0; i < width; i++) {
                    path[(r * steps + k) * width + i] = (float) (baseline[i] + alpha * (xs[r][i] - baseline[i]));
                }
            }
        }
        float[] ends = new float[(rows + 1) * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(xs[r], 0, ends, r * width, width);
        }
        System.arraycopy(baseline, 0, ends, rows * width, width);
        return Gradients.exclusive(() -> {
            try (NDManager manager = parent.newSubManager()) {
                ParameterStore store = new ParameterStore(manager, false);
                NDArray points = manager.create(path, new Shape((long) rows * steps, width));
                points.setRequiresGradient(true);
                float[] gradients;
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray y = block.forward(store, new NDList(points), false).head();
                    collector.backward(chosen(manager, y, outputs, steps).sum());
                    gradients = points.getGradient().toFloatArray();
                }
                NDArray y = block.forward(store, new NDList(manager.create(ends, new Shape(rows + 1, width))), false)
                        .head();
                float[] f = y.toFloatArray();
                int outputsPerRow = y.getShape().dimension() == 1 ? 1 : (int) y.getShape().get(1);
                Attribution[] all = new Attribution[rows];
                for (int r = 0; r < rows; r++) {
                    float[] attributions = new float[width];
                    double sum = 0;
                    for (int i = 0; i < width; i++) {
                        double integral = 0;
                        for (int k = 0; k < steps; k++) {
                            integral += nodes[1][k] * gradients[(r * steps + k) * width + i];
                        }
                        attributions[i] = (float) ((xs[r][i] - baseline[i]) * integral);
                        sum += attributions[i];
                    }
                    double value = f[r * outputsPerRow + outputs[r]];
                    double atBaseline = f[rows * outputsPerRow + outputs[r]];
                    double difference = value - atBaseline;
                    all[r] = new Attribution(attributions, value, atBaseline, Math.abs(sum - difference)
                            / Math.max(Math.abs(difference), 1e-6));
                }
                return all;
            }
        });
    }

    /** Each path point's explained output: its row's output number, the others masked out. */
    private static NDArray chosen(NDManager manager, NDArray y, int[] outputs, int steps) {
        if (y.getShape().dimension() == 1) {
            return y;
        }
        int width = (int) y.getShape().get(1);
        float[] mask = new float[(int) y.getShape().get(0) * width];
        for (int r = 0; r < outputs.length; r++) {
            for (int k = 0; k < steps; k++) {
                mask[(r * steps + k) * width + outputs[r]] = 1;
            }
        }
        return y.mul(manager.create(mask, y.getShape()));
    }

    /**
     * The nodes (row 0) and weights (row 1) of Gauss-Legendre quadrature of order {@code n} on [0, 1]: the roots of the
     * Legendre polynomial P_n by Newton's method from Chebyshev-like starting points, weights 2 / ((1 - z^2) P_n'(z)^2),
     * mapped from [-1, 1]. The weights sum to 1.
     */
    public static double[][] gaussLegendre(int n) {
        double[][] nodes = new double[2][n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative;
            double previous;
            do {
                double p1 = 1;
                double p2 = 0;
                for (int j = 1; j <= n; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
                }
                derivative = n * (z * p1 - p2) / (z * z - 1);
                previous = z;
                z = previous - p1 / derivative;
            } while (Math.abs(z - previous) > 1e-15);
            double weight = 2 / ((1 - z * z) * derivative * derivative);
            nodes[0][i] = (1 - z) / 2;
            nodes[0][n - 1 - i] = (1 + z) / 2;
            nodes[1][i] = weight / 2;
            nodes[1][n - 1 - i] = weight / 2;
        }
        return nodes;
    }
}
