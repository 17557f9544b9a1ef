package io.edgeai.preprocess.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Sample;
import io.edgeai.api.reading.RejectReason;
import io.edgeai.preprocess.internal.steps.BuiltInSteps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/** Definitions, fitting against hand-computed parameters, and no skew: restored = fitted, bit for bit. */
public class PipelineTest {

    private static final String DEFINITION = """
            name: default
            steps:
              - type: reject-non-finite
              - type: bounds
                features: [temperature]
                min: -40
                max: 85
                action: clip
              - type: zscore
                features: [temperature]
              - type: robust
                features: [humidity]
            """;

    private static FittedPipeline pipeline(String yaml) throws InvalidDefinitionException {
        return new FittedPipeline(PipelineDefinition.parse(yaml, false), BuiltInSteps.types()::get);
    }

    private static Sample sample(long t, double temperature, double humidity) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("temperature", temperature);
        values.put("humidity", humidity);
        return new Sample("d1", Instant.ofEpochMilli(t), values);
    }

    @Test
    public void fittedParametersAreTheHandComputedOnes() throws Exception {
        FittedPipeline pipeline = pipeline(DEFINITION);
        // temperature 10, 20, 30, 100 (clipped to 85 before the z-score learns): mean 36.25
        // humidity 1, 2, 3, 4: median 2.5, IQR 3.25 - 1.75 = 1.5
        pipeline.fit(List.of(sample(1, 10, 1), sample(2, 20, 2), sample(3, 30, 3), sample(4, 100, 4)));
        double mean = (10 + 20 + 30 + 85) / 4.0;
        double std = Math.sqrt(((10 - mean) * (10 - mean) + (20 - mean) * (20 - mean) + (30 - mean) * (30 - mean)
                + (85 - mean) * (85 - mean)) / 4);
        Sample out = pipeline.apply(sample(5, 40, 4)).get(0);
        assertEquals((40 - mean) / std, out.values().get("temperature"), 1e-12);
        assertEquals((4 - 2.5) / 1.5, out.values().get("humidity"), 1e-12);
        assertEquals((85 - mean) / std, pipeline.apply(sample(6, 1000, 2)).get(0).values().get("temperature"), 1e-12);
    }

    @Test
    public void minMaxSpansTheTrainingRange() throws Exception {
        FittedPipeline pipeline = pipeline("name: mm\nsteps:\n  - type: minmax\n");
        pipeline.fit(List.of(sample(1, -5, 10), sample(2, 15, 30)));
        Sample out = pipeline.apply(sample(3, 5, 30)).get(0);
        assertEquals(0.5, out.values().get("temperature"), 0);
        assertEquals(1.0, out.values().get("humidity"), 0);
        // a feature constant in training scales to 0 instead of dividing by zero
        FittedPipeline constant = pipeline("name: c\nsteps:\n  - type: zscore\n");
        constant.fit(List.of(sample(1, 7, 1), sample(2, 7, 2)));
        assertEquals(0.0, constant.apply(sample(3, 9, 1)).get(0).values().get("temperature"), 0);
    }

    @Test
    public void restoredPipelineGivesBitIdenticalOutputs() throws Exception {
        FittedPipeline fitted = pipeline(DEFINITION);
        Random random = new Random(11);
        List<Sample> training = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            training.add(sample(i, 20 + random.nextGaussian() * 7, 50 + random.nextGaussian() * 15));
        }
        fitted.fit(training);
        FittedPipeline restored = FittedPipeline.restore(fitted.serialize(), BuiltInSteps.types()::get);
        for (int i = 0; i < 10_000; i++) {
            Sample in = sample(i, 20 + random.nextGaussian() * 30, random.nextDouble() * 100);
            Map<String, Double> a = fitted.apply(in).get(0).values();
            Map<String, Double> b = restored.apply(in).get(0).values();
            for (String name : a.keySet()) {
                assertEquals(name + " of " + in, Double.doubleToRawLongBits(a.get(name)),
                        Double.doubleToRawLongBits(b.get(name)));
            }
        }
    }

    @Test
    public void badReadingsAreRefusedWithTheirReason() throws Exception {
        FittedPipeline pipeline = pipeline(DEFINITION.replace("action: clip", "action: reject"));
        pipeline.fit(List.of(sample(1, 10, 1), sample(2, 20, 2)));
        PreprocessException nan = assertThrows(PreprocessException.class, () -> pipeline.apply(sample(3, Double.NaN, 1)));
        assertEquals(RejectReason.NON_FINITE, nan.reason());
        assertEquals("reject-non-finite", nan.step());
        PreprocessException range = assertThrows(PreprocessException.class, () -> pipeline.apply(sample(3, 90, 1)));
        assertEquals(RejectReason.OUT_OF_RANGE, range.reason());
    }

    @Test
    public void invalidDefinitionsSayWhere() {
        assertTrue(where("name: x\nsteps:\n  - type: [zscore\n", false).startsWith("line 3, column "));
        assertEquals("steps[1].type", where("name: x\nsteps:\n  - type: zscore\n  - type: zscor\n", false));
        assertEquals("steps[0] (bounds)", where("name: x\nsteps:\n  - type: bounds\n    min: 5\n    max: 1\n", false));
        assertEquals("steps[0] (zscore)", where("name: x\nsteps:\n  - type: zscore\n    feature: [a]\n", false));
        assertEquals("steps", where("name: x\n", false));
        assertEquals("name", where("{\"steps\": [{\"type\": \"zscore\"}]}", true));
        assertTrue(where("{\"name\": \"x\", \"steps\": [", true).startsWith("line 1"));
    }

    private static String where(String text, boolean json) {
        try {
            new FittedPipeline(PipelineDefinition.parse(text, json), BuiltInSteps.types()::get);
        } catch (InvalidDefinitionException e) {
            System.out.println("refused: " + e.getMessage());
            return e.where();
        }
        throw new AssertionError("accepted: " + text);
    }
}
