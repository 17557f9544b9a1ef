package io.edgeai.api.inference;

import java.util.List;

/**
 * A prediction with the explanation of each row's answer (null for a row that got no output: a pipeline window still
 * filling).
 */
public record Explained(Prediction prediction, List<Explanation> explanations) {
}
