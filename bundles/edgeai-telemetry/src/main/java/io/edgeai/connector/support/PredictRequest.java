package io.edgeai.connector.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of a predict request, {@code {"inputs": [[...], ...], "skipPipeline": false, "explain": false}}, read alike
 * by every
 * connector. Read with Jackson's streaming parser straight into floats: a row of 256 values is one array, not 256 tree
 * nodes (this is on the path of every prediction). Other fields are skipped.
 *
 * @param rows the rows of finite numbers
 * @param skipPipeline true when the rows are the model's inputs as they are, also for a version that carries a
 *     pipeline (which otherwise takes them)
 * @param explain true when each row's answer should come with its explanation (per-input attributions)
 */
public record PredictRequest(float[][] rows, boolean skipPipeline, boolean explain) {

    /** A request without explanations. */
    public PredictRequest(float[][] rows, boolean skipPipeline) {
        this(rows, skipPipeline, false);
    }

    /**
     * The request with the {@code explain} query parameter of its URI taken in (HTTP {@code ?explain=true}, CoAP
     * {@code Uri-Query explain=true}): absent leaves it as the body says, {@code true} asks for explanations.
     *
     * @param value the parameter's value, or null when absent
     * @throws IllegalArgumentException for any value but true and false, for the sender
     */
    public PredictRequest withExplainParameter(String value) {
        if (value == null || value.equals("false")) {
            return this;
        }
        if (!value.equals("true")) {
            throw new IllegalArgumentException("explain must be true or false");
        }
        return new PredictRequest(rows, skipPipeline, true);
    }

    /** Asks the model: the prediction, with each row's explanation when the request asks for them (else null). */
    public java.util.concurrent.CompletionStage<io.edgeai.api.inference.Explained> ask(
            io.edgeai.api.inference.InferenceService service, String model) {
        return explain ? service.explain(model, rows, skipPipeline) : service.predict(model, rows, skipPipeline)
                .thenApply(prediction -> new io.edgeai.api.inference.Explained(prediction, null));
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final String EXPECTED = "expected {\"inputs\": [[...], ...]}: a non-empty list of rows";

    /** The rows of finite numbers; see {@link #parse}. */
    public static float[][] rows(byte[] body) {
        return parse(body).rows();
    }

    /**
     * @throws IllegalArgumentException saying what is wrong and where, for the sender
     */
    public static PredictRequest parse(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(EXPECTED);
            }
            float[][] rows = null;
            boolean skip = false;
            boolean explain = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("inputs".equals(field)) {
                    rows = rows(parser, value);
                } else if ("skipPipeline".equals(field)) {
                    if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                        throw new IllegalArgumentException("skipPipeline must be true or false");
                    }
                    skip = value == JsonToken.VALUE_TRUE;
                } else if ("explain".equals(field)) {
                    if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                        throw new IllegalArgumentException("explain must be true or false");
                    }
                    explain = value == JsonToken.VALUE_TRUE;
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("not JSON: the object is not closed");
            }
            if (rows == null || rows.length == 0) {
                throw new IllegalArgumentException(EXPECTED);
            }
            return new PredictRequest(rows, skip, explain);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static float[][] rows(JsonParser parser, JsonToken start) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException(EXPECTED);
        }
        List<float[]> rows = new ArrayList<>();
        float[] buffer = new float[64];
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            int i = rows.size();
            if (token != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("inputs[" + i + "] must be a non-empty list of numbers");
            }
            int j = 0;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new IllegalArgumentException("not JSON: inputs[" + i + "] is not closed");
                }
                if (!token.isNumeric()) {
                    throw new IllegalArgumentException("inputs[" + i + "][" + j + "] is not a number: "
                            + (token == JsonToken.VALUE_STRING ? "\"" + parser.getText() + "\"" : parser.getText()));
                }
                float value = parser.getFloatValue();
                if (!Float.isFinite(value)) {
                    throw new IllegalArgumentException("inputs[" + i + "][" + j + "] does not fit a float");
                }
                if (j == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                buffer[j++] = value;
            }
            if (j == 0) {
                throw new IllegalArgumentException("inputs[" + i + "] must be a non-empty list of numbers");
            }
            rows.add(Arrays.copyOf(buffer, j));
        }
        return rows.toArray(new float[0][]);
    }
}
