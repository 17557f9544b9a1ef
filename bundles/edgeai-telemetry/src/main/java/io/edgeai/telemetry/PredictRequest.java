package io.edgeai.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The body of a predict request, {@code {"inputs": [[...], ...]}}, read alike by every connector. */
public final class PredictRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PredictRequest() {
    }

    /**
     * The rows of finite numbers.
     *
     * @throws IllegalArgumentException saying what is wrong and where, for the sender
     */
    public static float[][] rows(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        JsonNode inputs = root == null ? null : root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new IllegalArgumentException("expected {\"inputs\": [[...], ...]}: a non-empty list of rows");
        }
        float[][] rows = new float[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode row = inputs.get(i);
            if (!row.isArray() || row.isEmpty()) {
                throw new IllegalArgumentException("inputs[" + i + "] must be a non-empty list of numbers");
            }
            rows[i] = new float[row.size()];
            for (int j = 0; j < row.size(); j++) {
                if (!row.get(j).isNumber()) {
                    throw new IllegalArgumentException("inputs[" + i + "][" + j + "] is not a number: " + row.get(j));
                }
                rows[i][j] = row.get(j).floatValue();
                if (!Float.isFinite(rows[i][j])) {
                    throw new IllegalArgumentException("inputs[" + i + "][" + j + "] does not fit a float");
                }
            }
        }
        return rows;
    }
}
