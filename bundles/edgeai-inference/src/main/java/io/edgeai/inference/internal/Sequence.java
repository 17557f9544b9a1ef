package io.edgeai.inference.internal;

import io.edgeai.api.inference.InferenceException;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.preprocess.PreprocessException;
import io.edgeai.api.preprocess.Preprocessed;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.RejectReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Readings that form one sequence of their own (the rows of a predict request, held-out readings of an evaluation)
 * made into model input rows: in order through a fresh copy of the version's own pipeline, when it has one, so that
 * its windows start empty and no device's live state is touched; then by the feature names of its model.json.
 */
final class Sequence {

    private Sequence() {
    }

    /**
     * Rows of numbers as readings for the version's pipeline: row i holds the values named by its
     * {@code pipelineInputs}, one second apart, the last at {@code now}.
     */
    static List<Reading> readings(String model, ServingVersion serving, float[][] rows, Instant now)
            throws InferenceException {
        List<String> names = serving.version.spec().pipelineInputs();
        String version = "model '" + model + "' version " + serving.version.version();
        if (names.isEmpty()) {
            throw new InferenceException(InferenceException.Reason.BAD_INPUT, version + " carries a pipeline but its"
                    + " model.json names no pipelineInputs, so a row of numbers means nothing to it: send readings"
                    + " as telemetry, or ask with skipPipeline and the model's own inputs");
        }
        if (rows.length == 0) {
            throw new InferenceException(InferenceException.Reason.BAD_INPUT, "no input rows");
        }
        List<Reading> readings = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != names.size()) {
                throw new InferenceException(InferenceException.Reason.BAD_INPUT, "input row " + i + " has "
                        + (rows[i] == null ? 0 : rows[i].length) + " values; " + version + " takes " + names
                        + " (its pipeline's inputs; skipPipeline sends the model's own inputs)");
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (int j = 0; j < names.size(); j++) {
                if (!Float.isFinite(rows[i][j])) {
                    throw new InferenceException(InferenceException.Reason.BAD_INPUT, "input row " + i + " holds "
                            + rows[i][j] + ": values must be finite numbers");
                }
                values.put(names.get(j), (double) rows[i][j]);
            }
            readings.add(new Reading("predict", now.minusSeconds(rows.length - 1L - i), values));
        }
        return readings;
    }

    /**
     * The model's input row for each reading; null where the reading completed no feature vector (a window still
     * filling) or, unless {@code strict}, where the pipeline refused it or it lacks a feature the model takes.
     *
     * @throws InferenceException when strict and a reading is refused (with the row and the pipeline's reason), or
     *     when the pipeline cannot be restored
     */
    static float[][] rows(String model, ServingVersion serving, List<Reading> readings, boolean strict)
            throws InferenceException {
        Pipeline pipeline = null;
        if (serving.pipelineCopies != null) {
            try {
                pipeline = serving.pipelineCopies.get();
            } catch (RuntimeException e) {
                throw new InferenceException(InferenceException.Reason.FAILED, "model '" + model + "' version "
                        + serving.version.version() + ": its pipeline could not be restored: " + e.getMessage(), e);
            }
        }
        float[][] rows = new float[readings.size()][];
        for (int i = 0; i < rows.length; i++) {
            Reading reading = readings.get(i);
            try {
                Features vector = pipeline == null ? Features.of(reading) : last(pipeline, reading, model, serving);
                rows[i] = vector == null ? null : row(model, vector, serving.version.spec().inputFeatures());
            } catch (InferenceException e) {
                if (strict) {
                    throw new InferenceException(e.refusal() != null ? e.refusal() : RejectReason.MALFORMED,
                            "input row " + i + ": " + e.getMessage());
                }
            }
        }
        return rows;
    }

    /** The newest feature vector the pipeline completed with this reading, or null. */
    static Features last(Pipeline pipeline, Reading reading, String model, ServingVersion serving)
            throws InferenceException {
        List<Features> out = process(pipeline, reading, "model '" + model + "' version "
                + serving.version.version() + ", its pipeline's step ").features();
        return out.isEmpty() ? null : out.get(out.size() - 1);
    }

    /**
     * The reading through the pipeline; a refusal becomes bad input with the pipeline's reason, its message after
     * {@code which} and the step's name.
     */
    static Preprocessed process(Pipeline pipeline, Reading reading, String which) throws InferenceException {
        try {
            return pipeline.process(reading);
        } catch (PreprocessException e) {
            throw new InferenceException(e.reason(), which + e.step() + ": " + e.getMessage());
        }
    }

    /** The model's input: the vector's values by the names the model takes, or as they are when it names none. */
    static float[] row(String model, Features vector, List<String> names) throws InferenceException {
        if (names.isEmpty()) {
            return vector.values();
        }
        float[] all = vector.values();
        float[] row = new float[names.size()];
        for (int i = 0; i < names.size(); i++) {
            int at = vector.names().indexOf(names.get(i));
            if (at < 0) {
                throw new InferenceException(RejectReason.MISSING_FIELD, "model '" + model + "' takes " + names
                        + "; the reading has no '" + names.get(i) + "'");
            }
            row[i] = all[at];
        }
        return row;
    }
}
