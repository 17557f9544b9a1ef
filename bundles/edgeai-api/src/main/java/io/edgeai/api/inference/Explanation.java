package io.edgeai.api.inference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a model gave one row's answer: an attribution per model input (named as the model's inputs are: the fitted
 * pipeline's output names), for one output.
 *
 * @param method {@code integrated-gradients} (models the gateway trains: DJL blocks; 50 steps from the baseline) or
 *     {@code occlusion} (TorchScript, run without gradients: each input set to its baseline value in turn, the
 *     attribution is how much the output drops)
 * @param inputs the model's input names, in order
 * @param attributions one per input, in that order
 * @param output the explained output's index; {@code value} its value for the row, {@code baselineValue} for the
 *     baseline
 * @param baseline the baseline input: the mean of the rows the model was trained on (its reference data), else zeros
 * @param completenessError integrated gradients: |sum of attributions - (value - baselineValue)| relative to
 *     |value - baselineValue|; null for occlusion, which has no such property
 */
public record Explanation(String method, List<String> inputs, float[] attributions, int output, double value,
        double baselineValue, float[] baseline, Double completenessError) {

    public Explanation {
        inputs = List.copyOf(inputs);
    }

    /** Input name to attribution, in input order. */
    public Map<String, Double> byInput() {
        Map<String, Double> named = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            named.put(inputs.get(i), (double) attributions[i]);
        }
        return named;
    }
}
