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
        if (x.length != baseline.length || steps < 1) {
            throw new IllegalArgumentException("an input and a baseline of one width, and steps >= 1");
        }
        int width = x.length;
        double[][] nodes = gaussLegendre(steps);
        float[] path = new float[steps * width];
        for (int k = 0; k < steps; k++) {
            double alpha = nodes[0][k];
            for (int i = 0; i < width; i++) {
                path[k * width + i] = (float) (baseline[i] + alpha * (x[i] - baseline[i]));
            }
        }
        return Gradients.exclusive(() -> {
            try (NDManager manager = parent.newSubManager()) {
                ParameterStore store = new ParameterStore(manager, false);
                NDArray points = manager.create(path, new Shape(steps, width));
                points.setRequiresGradient(true);
                float[] gradients;
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray y = block.forward(store, new NDList(points), false).head();
                    collector.backward(column(y, output).sum());
                    gradients = points.getGradient().toFloatArray();
                }
                NDArray ends = manager.create(concat(x, baseline), new Shape(2, width));
                float[] f = column(block.forward(store, new NDList(ends), false).head(), output).toFloatArray();
                float[] attributions = new float[width];
                double sum = 0;
                for (int i = 0; i < width; i++) {
                    double integral = 0;
                    for (int k = 0; k < steps; k++) {
                        integral += nodes[1][k] * gradients[k * width + i];
                    }
                    attributions[i] = (float) ((x[i] - baseline[i]) * integral);
                    sum += attributions[i];
                }
                double difference = f[0] - f[1];
                return new Attribution(attributions, f[0], f[1], Math.abs(sum - difference)
                        / Math.max(Math.abs(difference), 1e-6));
            }
        });
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

    private static NDArray column(NDArray y, int output) {
        return y.getShape().dimension() == 1 ? y : y.get(":, " + output);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] both = new float[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
