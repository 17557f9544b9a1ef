package io.edgeai.preprocess.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline as written in a file: a name and a list of steps, each a {@code type} and its parameters. Read from YAML
 * or JSON; a definition that cannot be read or does not fit is refused with the place of the problem (line and
 * column for syntax, the path such as {@code steps[2].type} for content).
 *
 * <pre>
 * name: default
 * steps:
 *   - type: reject-non-finite
 *   - type: bounds
 *     features: [temperature]
 *     min: -40
 *     max: 85
 *     action: clip
 *   - type: zscore
 * fit:
 *   samples: 500
 * </pre>
 *
 * <p>{@code fit} (optional) is for a pipeline with learning steps that serves readings without a model: it learns from
 * the first {@code samples} readings it receives, then freezes. A model's pipeline is fitted in training instead.
 *
 * @param fitSamples readings to learn from when serving on its own; 0 when not given
 */
public record PipelineDefinition(String name, List<Map<String, Object>> steps, int fitSamples) {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    public PipelineDefinition {
        steps = List.copyOf(steps);
    }

    /** Reads YAML (JSON is YAML too, but its own parser gives better messages for a .json file). */
    public static PipelineDefinition parse(String text, boolean json) throws InvalidDefinitionException {
        JsonNode root;
        try {
            root = (json ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new InvalidDefinitionException(where == null ? "" : "line " + where.getLineNr() + ", column "
                    + where.getColumnNr(), e.getOriginalMessage().replaceAll("\\s*\\(start marker at .*", "")
                    .replaceAll("\\s+", " ").trim());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidDefinitionException("(root)", "a pipeline is a map with 'name' and 'steps'");
        }
        JsonNode name = root.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new InvalidDefinitionException("name", "a non-empty text is required");
        }
        if (!name.asText().matches("[A-Za-z0-9_.-]+")) {
            throw new InvalidDefinitionException("name", "'" + name.asText() + "': letters, digits, '.', '_', '-' only");
        }
        JsonNode steps = root.get("steps");
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            throw new InvalidDefinitionException("steps", "a non-empty list of steps is required");
        }
        for (var field = root.fieldNames(); field.hasNext();) {
            String key = field.next();
            if (!"name".equals(key) && !"steps".equals(key) && !"fit".equals(key)) {
                throw new InvalidDefinitionException(key, "unknown key (a pipeline has 'name', 'steps' and 'fit')");
            }
        }
        int fitSamples = 0;
        JsonNode fit = root.get("fit");
        if (fit != null) {
            JsonNode samples = fit.isObject() ? fit.get("samples") : null;
            if (samples == null || !samples.canConvertToInt() || !samples.isIntegralNumber() || samples.asInt() < 1
                    || fit.size() != 1) {
                throw new InvalidDefinitionException("fit", "must be 'fit: {samples: N}' with N >= 1 readings");
            }
            fitSamples = samples.asInt();
        }
        List<Map<String, Object>> parsed = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            if (!step.isObject() || step.get("type") == null || !step.get("type").isTextual()) {
                throw new InvalidDefinitionException("steps[" + i + "]", "a step is a map with a 'type'");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> parameters = JSON.convertValue(step, LinkedHashMap.class);
            parsed.add(parameters);
        }
        return new PipelineDefinition(name.asText(), parsed, fitSamples);
    }

    /** The definition as JSON, as it goes into a model archive. */
    public String toJson() {
        try {
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("name", name);
            definition.put("steps", steps);
            if (fitSamples > 0) {
                definition.put("fit", Map.of("samples", fitSamples));
            }
            return JSON.writeValueAsString(definition);
        } catch (IOException e) {
            throw new IllegalStateException("a definition of plain values always writes", e);
        }
    }
}
