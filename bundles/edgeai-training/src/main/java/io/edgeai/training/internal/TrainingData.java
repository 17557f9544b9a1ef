package io.edgeai.training.internal;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows a job trains on, read from its data source, every value checked.
 *
 * @param pipeline the fitted pipeline that made the inputs (pipeline.json), or null
 * @param from the time of the oldest reading or row learnt from, when the data has times (else null)
 * @param to the time of the newest
 * @param source the readings the rows were made of, when a pipeline made them (null: each row is its own reading,
 *     see {@link #readings()})
 */
record TrainingData(float[][] inputs, float[][] targets, List<String> inputNames, byte[] pipeline,
        java.time.Instant from, java.time.Instant to, Source source) {

    /**
     * The readings a job's rows were made of, in time order, as the gateway would have received them: what each
     * version is scored on through its own pipeline when a new one is compared with the active one.
     *
     * @param readings the readings, with the values a pipeline takes (named, in order)
     * @param targets each reading's targets (null without targets)
     * @param rowOf for each row of {@code inputs}, the index of the reading that completed it
     */
    record Source(List<io.edgeai.api.reading.Reading> readings, float[][] targets, int[] rowOf) {

        /** The names of the values each reading carries, in order: what a version's pipeline takes. */
        List<String> names() {
            return readings.isEmpty() ? List.of() : List.copyOf(readings.get(0).values().keySet());
        }
    }

    TrainingData(float[][] inputs, float[][] targets, List<String> inputNames) {
        this(inputs, targets, inputNames, null, null, null, null);
    }

    /** The readings the rows were made of; without a pipeline, row i as reading i (named x0, x1… without names). */
    Source readings() {
        if (source != null) {
            return source;
        }
        List<io.edgeai.api.reading.Reading> readings = new ArrayList<>(inputs.length);
        int[] rowOf = new int[inputs.length];
        java.time.Instant start = from != null ? from : java.time.Instant.EPOCH;
        for (int i = 0; i < inputs.length; i++) {
            Map<String, Double> values = new java.util.LinkedHashMap<>();
            for (int j = 0; j < inputs[i].length; j++) {
                values.put(inputNames.size() == inputs[i].length ? inputNames.get(j) : "x" + j, (double) inputs[i][j]);
            }
            readings.add(new io.edgeai.api.reading.Reading("training", start.plusSeconds(i), values));
            rowOf[i] = i;
        }
        return new Source(readings, targets, rowOf);
    }

    /**
     * @param maxRows the most rows a job may load (memory bound on a small gateway)
     * @throws InvalidSpecException when the data cannot be read or holds a value that is not a number
     */
    static TrainingData load(JobSpec.Data data, int maxRows) {
        if (data instanceof JobSpec.Inline inline) {
            if (inline.inputs().length > maxRows) {
                throw new InvalidSpecException("data.inputs: " + inline.inputs().length + " rows, at most " + maxRows);
            }
            return new TrainingData(inline.inputs(), inline.targets(), List.of());
        }
        JobSpec.Csv csv = (JobSpec.Csv) data;
        List<float[]> inputs = new ArrayList<>();
        List<float[]> targets = new ArrayList<>();
        readCsv(csv, maxRows, (row, line) -> {
            inputs.add(values(row, csv.inputs(), line));
            targets.add(values(row, csv.targets(), line));
        });
        return new TrainingData(inputs.toArray(new float[0][]), csv.targets().isEmpty() ? null
                : targets.toArray(new float[0][]), csv.inputs());
    }

    /** One CSV row by column name, with its line number (the header is line 1). */
    interface CsvRow {
        void accept(Map<String, String> row, int line);
    }

    /** Reads a CSV file with a header row, checking that the named columns exist and that it has at most maxRows. */
    static void readCsv(JobSpec.Csv csv, int maxRows, CsvRow consumer) {
        if (!Files.isRegularFile(csv.file())) {
            throw new InvalidSpecException("data.file: no such file " + csv.file());
        }
        CsvMapper mapper = new CsvMapper();
        CsvSchema header = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class).with(header)
                .readValues(csv.file().toFile())) {
            int line = 1;
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                line++;
                if (line == 2) {
                    List<String> columns = concat(csv.inputs(), csv.targets());
                    if (csv.time() != null) {
                        columns.add(csv.time());
                    }
                    for (String column : columns) {
                        if (!row.containsKey(column)) {
                            throw new InvalidSpecException("data: column '" + column + "' is not in " + csv.file()
                                    .getFileName() + " (columns: " + String.join(", ", row.keySet()) + ")");
                        }
                    }
                }
                if (line - 1 > maxRows) {
                    throw new InvalidSpecException("data.file: more than " + maxRows + " rows");
                }
                consumer.accept(row, line);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidSpecException invalid) {
                throw invalid;
            }
            throw new InvalidSpecException("data.file: cannot read " + csv.file().getFileName() + ": "
                    + e.getMessage());
        }
    }

    static float[] values(Map<String, String> row, List<String> columns, int line) {
        float[] values = new float[columns.size()];
        for (int i = 0; i < values.length; i++) {
            String text = row.get(columns.get(i));
            try {
                values[i] = Float.parseFloat(text == null ? "" : text.trim());
            } catch (NumberFormatException e) {
                throw new InvalidSpecException("data: line " + line + ", column '" + columns.get(i) + "': '" + text
                        + "' is not a number");
            }
            if (!Float.isFinite(values[i])) {
                throw new InvalidSpecException("data: line " + line + ", column '" + columns.get(i) + "': " + text
                        + " (clean the data first)");
            }
        }
        return values;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
