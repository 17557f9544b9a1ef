package io.edgeai.camel.internal;

import io.edgeai.api.preprocess.Features;
import io.edgeai.api.training.TrainingJob;
import io.edgeai.api.training.TrainingService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code edgeai:train/{model}?spec=etc/train-m.json&rows=1000[&targets=y1,y2]}: collects the rows a route sends
 * (the {@code List<Features>} of {@code edgeai:preprocess} - one row per vector - a {@link Features}, a
 * {@code float[]} or {@code float[][]}), and once {@code rows} are in, submits a training job for a new version of
 * the model: the spec file (read then, so edits apply) with the collected rows as its data. Features named in
 * {@code targets} are the targets, the others the inputs, in their order; without {@code targets} there are none (an
 * autoencoder). Header {@value #HEADER_NOW} = true submits what is collected at once. The exchange that submits gets
 * header {@value #HEADER_JOB} (the job's id); the body always passes unchanged, so the endpoint can sit in a route
 * that goes on. Rows with another set of feature names than the first are refused (the exchange fails).
 */
final class TrainStage extends Stage {

    static final String HEADER_JOB = io.edgeai.api.routes.EdgeAiHeaders.TRAINING_JOB;
    static final String HEADER_NOW = io.edgeai.api.routes.EdgeAiHeaders.TRAIN_NOW;
    private static final Logger LOG = LoggerFactory.getLogger(TrainStage.class);

    private final String model;
    private final String spec;
    private final int rows;
    private final List<String> targets;
    private final List<float[]> inputs = new ArrayList<>();
    private final List<float[]> outputs = new ArrayList<>();
    private List<String> names;

    TrainStage(EdgeAiEndpoint endpoint) {
        super(endpoint);
        this.model = name("model", "edgeai:train/flow?spec=etc/train-flow.json&rows=1000");
        this.spec = endpoint.getSpec();
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(uri() + ": name the training spec, as in edgeai:train/" + model
                    + "?spec=etc/train-" + model + ".json&rows=1000");
        }
        this.rows = endpoint.getRows();
        if (rows < 2) {
            throw new IllegalArgumentException(uri() + ": rows=" + rows + " (at least 2)");
        }
        String given = endpoint.getTargets();
        this.targets = given == null || given.isBlank() ? List.of()
                : java.util.Arrays.stream(given.split(",")).map(String::trim).toList();
    }

    @Override
    Producer producer() {
        return producer(this::collect);
    }

    private void collect(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        List<Features> vectors = new ArrayList<>();
        List<float[]> plain = new ArrayList<>();
        Object body = message.getBody();
        if (body instanceof Features single) {
            vectors.add(single);
        } else if (body instanceof List<?> list && list.stream().allMatch(Features.class::isInstance)) {
            list.forEach(f -> vectors.add((Features) f));
        } else if (body instanceof float[] row) {
            plain.add(row);
        } else if (body instanceof float[][] given) {
            plain.addAll(List.of(given));
        } else {
            throw new IllegalArgumentException(uri() + " takes the List<Features> of edgeai:preprocess,"
                    + " Features, float[] or float[][]; got " + (body == null ? "no body" : body.getClass().getName()));
        }
        Map<String, Object> job = null;
        synchronized (this) {
            for (Features vector : vectors) {
                add(vector.names(), vector.values());
            }
            for (float[] row : plain) {
                if (!targets.isEmpty()) {
                    throw new IllegalArgumentException(uri() + ": plain rows carry no names to take the"
                            + " targets " + targets + " from; send Features");
                }
                add(null, row);
            }
            boolean now = Boolean.TRUE.equals(message.getHeader(HEADER_NOW, Boolean.class));
            if (inputs.size() >= rows || (now && inputs.size() >= 2)) {
                job = spec();
                job.put("data", data());
                inputs.clear();
                outputs.clear();
            }
        }
        if (job != null) {
            TrainingService training = component().training();
            if (training == null) {
                throw new IllegalStateException(uri() + ": training is not running (feature"
                        + " edgeai-training); the collected rows are dropped");
            }
            TrainingJob submitted = training.submit(model, job);
            message.setHeader(HEADER_JOB, submitted.id());
            LOG.info("{} submitted training job {} on {} rows", uri(), submitted.id(),
                    ((List<?>) ((Map<?, ?>) job.get("data")).get("inputs")).size());
        }
    }

    private void add(List<String> vectorNames, float[] values) {
        if (names == null) {
            names = vectorNames;
            if (names != null && !names.containsAll(targets)) {
                throw new IllegalArgumentException(uri() + ": the features " + names + " lack the targets "
                        + targets);
            }
        } else if (!java.util.Objects.equals(names, vectorNames)) {
            throw new IllegalArgumentException(uri() + ": features " + vectorNames + " differ from the"
                    + " first rows' " + names);
        }
        if (names == null) {
            inputs.add(values.clone());
            return;
        }
        float[] in = new float[names.size() - targets.size()];
        float[] out = new float[targets.size()];
        int i = 0;
        for (int k = 0; k < names.size(); k++) {
            int t = targets.indexOf(names.get(k));
            if (t >= 0) {
                out[t] = values[k];
            } else {
                in[i++] = values[k];
            }
        }
        inputs.add(in);
        outputs.add(out);
    }

    private Map<String, Object> spec() throws IOException {
        Path file = Paths.get(spec);
        if (!file.isAbsolute()) {
            file = Paths.get(System.getProperty("karaf.home", ".")).resolve(file);
        }
        Object parsed;
        try {
            parsed = Jsoner.deserialize(Files.readString(file));
        } catch (org.apache.camel.util.json.DeserializationException e) {
            throw new IllegalArgumentException(uri() + ": the spec " + file + " is not JSON: "
                    + e.getMessage());
        }
        if (!(parsed instanceof JsonObject object)) {
            throw new IllegalArgumentException(uri() + ": the spec " + file + " is not a JSON object");
        }
        return new LinkedHashMap<>(object);
    }

    private Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", "inline");
        data.put("inputs", lists(inputs));
        if (!targets.isEmpty()) {
            data.put("targets", lists(outputs));
        }
        return data;
    }

    private static List<List<Float>> lists(List<float[]> rows) {
        List<List<Float>> lists = new ArrayList<>(rows.size());
        for (float[] row : rows) {
            List<Float> list = new ArrayList<>(row.length);
            for (float v : row) {
                list.add(v);
            }
            lists.add(list);
        }
        return lists;
    }
}
