package io.edgeai.fleet.kafka.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai.api.training.FederatedTraining.LocalUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A federation's file read with its defaults and refusals; the protocol's messages carry parameters, never rows. */
public class FederationTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path file(String json) throws Exception {
        Path file = tmp.newFile().toPath();
        Files.writeString(file, json);
        return file;
    }

    @Test
    public void aFederationFileWithItsDefaults() throws Exception {
        Federation.Definition d = Federation.Definition.read(file("{\"task\": \"pump-fl\", \"participants\": 3,"
                + " \"spec\": {\"architecture\": \"linear\"}}"));
        assertEquals("pump-fl", d.model());
        assertEquals(10, d.rounds());
        assertEquals("quorum: all of them unless said", 3, d.quorum());
        assertEquals(60, d.roundSeconds());
        assertEquals("rollout", d.stage());
        assertEquals("linear", d.spec().get("architecture"));
    }

    @Test
    public void badFederationFilesAreRefusedWithTheReason() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Federation.Definition.read(file(
                "{\"participants\": 3, \"spec\": {}}"))).getMessage().contains("task"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Federation.Definition.read(file(
                "{\"task\": \"../x\", \"participants\": 3, \"spec\": {}}"))).getMessage().contains("not a name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Federation.Definition.read(file(
                "{\"task\": \"t\", \"participants\": 3}"))).getMessage().contains("spec"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Federation.Definition.read(file(
                "{\"task\": \"t\", \"participants\": 2, \"quorum\": 3, \"spec\": {}}"))).getMessage()
                .contains("quorum"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Federation.Definition.read(file(
                "[1, 2]"))).getMessage().contains("not a JSON object"));
    }

    @Test
    public void anUpdateIsParametersAndCountsAndReadsBackTheSame() throws Exception {
        LocalUpdate update = new LocalUpdate(new byte[] {1, 2, 3, -4}, 300, 2, 1, 0.25, List.of("a", "b"));
        JsonNode json = Federation.JSON.readTree(Federation.update("t", 4, "gw-1", update));
        assertEquals(List.of("task", "round", "gatewayId", "samples", "inputs", "outputs", "loss", "inputNames",
                "parameters"), iterable(json));
        LocalUpdate back = Federation.update(json);
        assertArrayEquals(update.parameters(), back.parameters());
        assertEquals(update.samples(), back.samples());
        assertEquals(update.inputNames(), back.inputNames());
        JsonNode first = Federation.JSON.readTree(Federation.round(Federation.Definition.read(file("{\"task\": \"t\","
                + " \"participants\": 1, \"spec\": {}}")), 1, null, 99, "gw-0", null));
        assertNull("round 1 starts fresh", Federation.global(first));
    }

    private static List<String> iterable(JsonNode json) {
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
