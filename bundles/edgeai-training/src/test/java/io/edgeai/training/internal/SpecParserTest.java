package io.edgeai.training.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Job specs as HTTP and the console hand them over (JSON objects): parsed in full, refused by field. */
public class SpecParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOME = Path.of("/opt/gateway");

    private static Map<String, Object> json(String text) throws Exception {
        return JSON.readValue(text.replace('\'', '"'), new TypeReference<Map<String, Object>>() { });
    }

    private static String refusal(String text) throws Exception {
        Map<String, Object> spec = json(text);
        return assertThrows(InvalidSpecException.class, () -> SpecParser.parse(spec, HOME)).getMessage();
    }

    @Test
    public void aFullSpecIsReadWhole() throws Exception {
        JobSpec job = SpecParser.parse(json("{'architecture': {'name': 'mlp', 'hidden': [16, 8], 'activation': 'tanh'},"
                + " 'loss': 'mae', 'optimizer': {'type': 'sgd', 'learningRate': 0.05, 'momentum': 0.9,"
                + " 'nesterov': true, 'weightDecay': 0.0001}, 'schedule': {'type': 'step', 'stepEpochs': 10,"
                + " 'factor': 0.5, 'warmupEpochs': 2}, 'epochs': 40, 'batchSize': 16, 'validationSplit': 0.25,"
                + " 'earlyStopping': {'patience': 5, 'minDelta': 0.001}, 'seed': 7, 'autoPromote': true,"
                + " 'data': {'source': 'csv', 'file': 'data/pump.csv', 'inputs': ['a', 'b'], 'targets': ['y']}}"),
                HOME);
        TrainSpec t = job.train();
        assertEquals(Map.of("name", "mlp", "hidden", List.of(16, 8), "activation", "tanh"), t.architecture());
        assertEquals("mae", t.loss());
        assertEquals(OptimizerSpec.of("sgd", 0.05).withMomentum(0.9, true).learningRate(), t.optimizer().learningRate(),
                0);
        assertTrue(t.optimizer().nesterov());
        assertEquals(0.0001, t.optimizer().weightDecay(), 0);
        assertEquals(new ScheduleSpec("step", 10, 0.5, 0, 2), t.schedule());
        assertEquals(40, t.epochs());
        assertEquals(16, t.batchSize());
        assertEquals(0.25, t.validationSplit(), 0);
        assertEquals(5, t.patience());
        assertEquals(7, t.seed());
        assertTrue(job.autoPromote());
        assertEquals(new JobSpec.Csv(Path.of("/opt/gateway/data/pump.csv"), List.of("a", "b"), List.of("y")),
                job.data());
    }

    @Test
    public void defaultsFillWhatIsLeftOut() throws Exception {
        JobSpec job = SpecParser.parse(json("{'architecture': 'linear', 'data': {'source': 'inline',"
                + " 'inputs': [[1], [2]], 'targets': [[1], [2]]}}"), HOME);
        assertEquals("adam", job.train().optimizer().type());
        assertEquals(100, job.train().epochs());
        assertEquals(32, job.train().batchSize());
        assertEquals(10, job.train().patience());
        assertArrayEquals(new float[] {2}, ((JobSpec.Inline) job.data()).inputs()[1], 0);
    }

    @Test
    public void everyMistakeIsNamed() throws Exception {
        String data = ", 'data': {'source': 'inline', 'inputs': [[1]], 'targets': [[1]]}";
        assertEquals("epoch: unknown field (known: architecture, autoPromote, batchSize, data, earlyStopping, epochs,"
                + " loss, optimizer, pipeline, schedule, seed, validationSplit)", refusal("{'architecture': 'mlp', 'epoch': 5"
                + data + "}"));
        assertEquals("optimizer: unknown type 'adamw2' (known: sgd, adagrad, rmsprop, adam)",
                refusal("{'architecture': 'mlp', 'optimizer': {'type': 'adamw2'}" + data + "}"));
        assertEquals("optimizer.lr: unknown field (known: beta1, beta2, clipGradient, epsilon, learningRate,"
                + " momentum, nesterov, rho, type, weightDecay)", refusal("{'architecture': 'mlp', 'optimizer':"
                + " {'lr': 0.1}" + data + "}"));
        assertEquals("epochs: a whole number expected, got 2.5", refusal("{'architecture': 'mlp', 'epochs': 2.5"
                + data + "}"));
        assertEquals("batchSize: a number expected, got many", refusal("{'architecture': 'mlp', 'batchSize': 'many'"
                + data + "}"));
        assertTrue(refusal("{'architecture': 'mlp'}").startsWith("data: missing"));
        assertEquals("data.source: unknown 'kafka' (known: csv, inline, readings)", refusal("{'architecture': 'mlp',"
                + " 'data': {'source': 'kafka'}}"));
        assertEquals("data.inputs[1][0]: x is not a number", refusal("{'architecture': 'mlp', 'data': {'source':"
                + " 'inline', 'inputs': [[1], ['x']]}}"));
        assertTrue(refusal("{'data': {'source': 'inline', 'inputs': [[1]]}}").startsWith("architecture: missing"));
        assertEquals("schedule.stepEpochs: 0 (1 or more for type step)", refusal("{'architecture': 'mlp',"
                + " 'schedule': {'type': 'step'}" + data + "}"));
        assertEquals("data.device: missing (the device whose recent readings to learn from)",
                refusal("{'architecture': 'mlp', 'data': {'source': 'readings'}}"));
        assertEquals("data.last: give either 'last' or 'from'/'to'", refusal("{'architecture': 'mlp', 'data':"
                + " {'source': 'readings', 'device': 'd', 'last': '1h', 'from': '2026-11-30T00:00:00Z'}}"));
        assertEquals("data.from: 'yesterday' is not an ISO-8601 time such as 2026-11-30T00:00:00Z",
                refusal("{'architecture': 'mlp', 'data': {'source': 'readings', 'device': 'd', 'from': 'yesterday'}}"));
        assertEquals("pipeline: inline rows have no value names for its steps; use data from a CSV file or the"
                + " readings history", refusal("{'architecture': 'mlp', 'pipeline': 'default'" + data + "}"));
        assertEquals("pipeline: a pipeline's name (a file in etc/ or deploy/) or its definition ({\"steps\": [...]}),"
                + " got 3", refusal("{'architecture': 'mlp', 'pipeline': 3" + data + "}"));
    }

    @Test
    public void aDevicesRecentReadingsAndAPipelineAreRead() throws Exception {
        JobSpec job = SpecParser.parse(json("{'architecture': 'mlp', 'pipeline': {'steps': [{'type': 'zscore'}]},"
                + " 'data': {'source': 'readings', 'device': 'pump-1', 'last': '24h', 'targets': ['y']}}"), HOME);
        assertEquals(new JobSpec.Readings("pump-1", null, null, java.time.Duration.ofHours(24), List.of(),
                List.of("y")), job.data());
        assertEquals(Map.of("steps", List.of(Map.of("type", "zscore"))), job.pipeline());
        assertEquals(java.time.Duration.ofDays(7), SpecParser.duration("7d", "x"));
        assertEquals(java.time.Duration.ofSeconds(90), SpecParser.duration("90 s", "x"));
    }

    @Test
    public void csvRowsAreReadByColumnNameAndBadCellsNamedByLine() throws Exception {
        Path csv = Files.createTempFile("train", ".csv");
        Files.writeString(csv, "time,a,b,y\n1,1.5,2,3\n2,2.5,3,4\n");
        TrainingData data = TrainingData.load(new JobSpec.Csv(csv, List.of("b", "a"), List.of("y")), 100);
        assertArrayEquals(new float[] {3, 2.5f}, data.inputs()[1], 0);
        assertArrayEquals(new float[] {4}, data.targets()[1], 0);
        assertEquals(List.of("b", "a"), data.inputNames());
        assertTrue(assertThrows(InvalidSpecException.class, () -> TrainingData.load(new JobSpec.Csv(csv,
                List.of("c"), List.of()), 100)).getMessage().startsWith("data: column 'c' is not in"));
        Files.writeString(csv, "a,y\n1,2\nNaN,3\n");
        assertEquals("data: line 3, column 'a': NaN (clean the data first)", assertThrows(InvalidSpecException.class,
                () -> TrainingData.load(new JobSpec.Csv(csv, List.of("a"), List.of("y")), 100)).getMessage());
        Files.writeString(csv, "a,y\n1,2\nhot,3\n");
        assertEquals("data: line 3, column 'a': 'hot' is not a number", assertThrows(InvalidSpecException.class,
                () -> TrainingData.load(new JobSpec.Csv(csv, List.of("a"), List.of("y")), 100)).getMessage());
        assertEquals("data.file: more than 1 rows", assertThrows(InvalidSpecException.class,
                () -> TrainingData.load(new JobSpec.Csv(csv, List.of("a"), List.of("y")), 1)).getMessage());
        Files.delete(csv);
    }
}
