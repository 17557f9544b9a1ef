package io.edgeai.preprocess.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.preprocess.Step;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A pipeline's steps built from its definition, fitted on training samples step by step (each step learns from what
 * the steps before it produce, as they will produce it when serving), and serialized with what it learned: the same
 * bytes restore a pipeline that gives bit-identical outputs.
 */
public final class FittedPipeline {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineDefinition definition;
    private final List<Step> steps;
    private final Function<String, Function<Map<String, Object>, Step>> factories;

    /**
     * @param factories step type → factory; a type it does not know fails with the path of the step
     */
    public FittedPipeline(PipelineDefinition definition, Function<String, Function<Map<String, Object>, Step>> factories)
            throws InvalidDefinitionException {
        this.definition = definition;
        this.factories = factories;
        this.steps = build(definition, factories);
    }

    private static List<Step> build(PipelineDefinition definition,
            Function<String, Function<Map<String, Object>, Step>> factories) throws InvalidDefinitionException {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < definition.steps().size(); i++) {
            Map<String, Object> parameters = definition.steps().get(i);
            String type = (String) parameters.get("type");
            Function<Map<String, Object>, Step> factory = factories.apply(type);
            if (factory == null) {
                throw new InvalidDefinitionException("steps[" + i + "].type", "unknown step type '" + type + "'");
            }
            try {
                steps.add(factory.apply(parameters));
            } catch (IllegalArgumentException e) {
                throw new InvalidDefinitionException("steps[" + i + "] (" + type + ")", e.getMessage());
            }
        }
        return steps;
    }

    public PipelineDefinition definition() {
        return definition;
    }

    /** True when a step learns from data, so the pipeline must be fitted (or restored) before it serves. */
    public boolean learns() {
        return steps.stream().anyMatch(Step::learns);
    }

    /** What the steps learned, as JSON: one object per step. */
    public String fittedStateJson() {
        List<Map<String, Object>> states = new ArrayList<>();
        for (Step step : steps) {
            states.add(step.fittedState());
        }
        return writeJson(states);
    }

    /**
     * Fits every step in order on the training samples; a refused sample is left out of what follows. Afterwards the
     * steps start afresh with what they learned and nothing of the training stream (windows, last times): serving
     * then behaves exactly as a pipeline restored from {@link #serialize()}.
     */
    public void fit(List<Sample> training) {
        List<Sample> current = copies(training);
        for (Step step : steps) {
            for (Sample sample : current) {
                step.fit(sample.with(sample.values()));
            }
            step.freeze();
            List<Sample> next = new ArrayList<>();
            for (Sample sample : current) {
                try {
                    next.addAll(step.apply(sample));
                } catch (PreprocessException refused) {
                    // not training material
                }
            }
            current = next;
        }
        try {
            List<Step> fresh = build(definition, factories);
            for (int i = 0; i < fresh.size(); i++) {
                fresh.get(i).restore(steps.get(i).fittedState());
            }
            steps.clear();
            steps.addAll(fresh);
        } catch (InvalidDefinitionException e) {
            throw new IllegalStateException("the definition built once already", e);
        }
    }

    /** Serving: the samples that come out for one in (none while a window fills); training-only steps are skipped. */
    public List<Sample> apply(Sample sample) throws PreprocessException {
        return applyOwned(sample.with(sample.values()));
    }

    /** {@link #apply} for a sample the caller hands over: the steps may change it in place. */
    List<Sample> applyOwned(Sample sample) throws PreprocessException {
        return run(sample, false);
    }

    /** Training: what one sample becomes with every step, training-only ones (augmentation) included. */
    public List<Sample> applyForTraining(Sample sample) throws PreprocessException {
        return run(sample.with(sample.values()), true);
    }

    private List<Sample> run(Sample sample, boolean training) throws PreprocessException {
        List<Sample> current = List.of(sample);
        for (Step step : steps) {
            if (step.trainingOnly() && !training) {
                continue;
            }
            if (current.size() == 1) {
                current = step.apply(current.get(0));
            } else {
                List<Sample> next = new ArrayList<>();
                for (Sample s : current) {
                    next.addAll(step.apply(s));
                }
                current = next;
            }
            if (current.isEmpty()) {
                break;
            }
        }
        return current;
    }

    /** Definition and learned state, as JSON (doubles written so that they read back to the same bits). */
    public byte[] serialize() {
        List<Map<String, Object>> states = new ArrayList<>();
        for (Step step : steps) {
            states.add(step.fittedState());
        }
        Map<String, Object> archive = new LinkedHashMap<>();
        archive.put("name", definition.name());
        archive.put("steps", definition.steps());
        archive.put("fitted", states);
        try {
            return JSON.writeValueAsBytes(archive);
        } catch (IOException e) {
            throw new IllegalStateException("fitted state of plain values always writes", e);
        }
    }

    /** A pipeline exactly as serialized: the same definition, the learned state restored, frozen. */
    public static FittedPipeline restore(byte[] serialized,
            Function<String, Function<Map<String, Object>, Step>> factories) throws InvalidDefinitionException {
        return restore(serialized, factories, null);
    }

    /**
     * Restores the learned state of a serialized pipeline into the given definition, which must have the same steps
     * (it may differ in what only matters before fitting, such as {@code fit}); null takes the serialized one.
     */
    public static FittedPipeline restore(byte[] serialized,
            Function<String, Function<Map<String, Object>, Step>> factories, PipelineDefinition expected)
            throws InvalidDefinitionException {
        Map<String, Object> archive;
        try {
            archive = JSON.readValue(serialized, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new InvalidDefinitionException("", "not a serialized pipeline: " + e.getMessage());
        }
        PipelineDefinition definition = PipelineDefinition.parse(writeJson(Map.of("name", archive.get("name"),
                "steps", archive.get("steps"))), true);
        if (expected != null) {
            if (!expected.steps().equals(definition.steps())) {
                throw new InvalidDefinitionException("steps", "the serialized pipeline has other steps");
            }
            definition = expected;
        }
        FittedPipeline pipeline = new FittedPipeline(definition, factories);
        List<?> states = (List<?>) archive.get("fitted");
        if (states == null || states.size() != pipeline.steps.size()) {
            throw new InvalidDefinitionException("fitted", "one state per step is required");
        }
        for (int i = 0; i < states.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> state = (Map<String, Object>) states.get(i);
            pipeline.steps.get(i).restore(state);
        }
        return pipeline;
    }

    private static String writeJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Sample> copies(List<Sample> samples) {
        List<Sample> copies = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            copies.add(sample.with(sample.values()));
        }
        return copies;
    }
}
