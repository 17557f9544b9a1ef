package io.edgeai.models.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.Lineage;
import io.edgeai.api.model.ModelSpec;
import io.edgeai.api.model.ModelState;
import io.edgeai.api.model.ModelVersion;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The registry on disk, one folder per model:
 * <pre>
 * models/&lt;name&gt;/&lt;version&gt;/      the unpacked archive (model.json, model.pt, pipeline.json) + version.json
 * models/&lt;name&gt;/state.json           {"active": 3, "history": [1, 2], "retired": [1, 2]}
 * </pre>
 * A version folder appears whole (unpacked and checked under a temporary name, then renamed); {@code state.json} is
 * replaced whole (written beside, then renamed). A crash leaves either the old or the new registry, never a mix.
 */
final class ModelStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String VERSION_JSON = "version.json";
    static final String STATE_JSON = "state.json";
    static final String ROLLOUT_JSON = "rollout.json";

    /**
     * Which version is active, the rollback history (oldest first), the versions that served once, and the highest
     * version number ever given (numbers are never reused, also after a deletion).
     */
    record State(Integer active, List<Integer> history, TreeSet<Integer> retired, int last) {

        State {
            history = List.copyOf(history);
            retired = new TreeSet<>(retired);
        }

        static State empty() {
            return new State(null, List.of(), new TreeSet<>(), 0);
        }

        State with(Integer newActive, List<Integer> newHistory, TreeSet<Integer> newRetired) {
            return new State(newActive, newHistory, newRetired, last);
        }

        ModelState of(int version) {
            if (active != null && active == version) {
                return ModelState.ACTIVE;
            }
            return retired.contains(version) ? ModelState.RETIRED : ModelState.STAGED;
        }
    }

    private final Path root;

    ModelStore(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path folder(String model, int version) {
        return root.resolve(model).resolve(Integer.toString(version));
    }

    /** A fresh folder to unpack an archive into, beside the versions (same file system: the rename is atomic). */
    Path newStaging(String model) throws IOException {
        Path staging = root.resolve(model).resolve(".staging-" + UUID.randomUUID());
        Files.createDirectories(staging);
        return staging;
    }

    /** Turns a checked staging folder into the model's next version and writes its version.json. */
    ModelVersion commit(String model, Path staging, ModelArchive.Contents contents, Lineage lineage)
            throws IOException {
        int version = nextVersion(model);
        ModelVersion registered = new ModelVersion(model, version, ModelState.STAGED, contents.spec(), Instant.now(),
                contents.sha256(), contents.metrics(), lineage);
        ObjectNode json = JSON.createObjectNode();
        json.put("model", model);
        json.put("version", version);
        json.put("created", registered.created().toString());
        json.put("sha256", registered.sha256());
        json.set("metrics", JSON.valueToTree(registered.metrics()));
        ObjectNode lineageJson = json.putObject("lineage");
        if (lineage.parentVersion() != null) {
            lineageJson.put("parentVersion", lineage.parentVersion());
        }
        if (lineage.jobId() != null) {
            lineageJson.put("jobId", lineage.jobId());
        }
        if (lineage.dataFrom() != null) {
            lineageJson.put("dataFrom", lineage.dataFrom().toString());
        }
        if (lineage.dataTo() != null) {
            lineageJson.put("dataTo", lineage.dataTo().toString());
        }
        if (lineage.signer() != null) {
            lineageJson.put("signer", lineage.signer());
        }
        writeAtomically(staging.resolve(VERSION_JSON), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        Files.move(staging, folder(model, version), StandardCopyOption.ATOMIC_MOVE);
        State state = state(model);
        writeState(model, new State(state.active(), state.history(), state.retired(), version));
        return registered;
    }

    /** The number the next version of a model gets: above every version there is and ever was. */
    int nextVersion(String model) {
        int highest = versionNumbers(model).stream().max(Integer::compare).orElse(0);
        return Math.max(highest, state(model).last()) + 1;
    }

    List<String> models() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return names;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path folder : folders) {
                if (!versionNumbers(folder.getFileName().toString()).isEmpty()) {
                    names.add(folder.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + root + ": " + e.getMessage(), e);
        }
        names.sort(null);
        return names;
    }

    List<Integer> versionNumbers(String model) {
        Path folder = root.resolve(model);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(p -> p.getFileName().toString().matches("[1-9][0-9]{0,8}")
                    && Files.isRegularFile(p.resolve(VERSION_JSON)))
                    .map(p -> Integer.parseInt(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    Optional<ModelVersion> version(String model, int version, State state) {
        Path folder = folder(model, version);
        if (!Files.isRegularFile(folder.resolve(VERSION_JSON))) {
            return Optional.empty();
        }
        try {
            var json = JSON.readTree(folder.resolve(VERSION_JSON).toFile());
            ModelArchive.Contents contents = ModelArchive.read(folder, json.path("sha256").asText());
            Map<String, Double> metrics = new LinkedHashMap<>();
            json.path("metrics").fields().forEachRemaining(m -> metrics.put(m.getKey(), m.getValue().asDouble()));
            var l = json.path("lineage");
            Lineage lineage = ModelArchive.lineage(l, true);
            ModelSpec spec = contents.spec();
            return Optional.of(new ModelVersion(model, version, state.of(version), spec,
                    Instant.parse(json.path("created").asText()), contents.sha256(), metrics, lineage));
        } catch (IOException | InvalidModelException | RuntimeException e) {
            throw new IllegalStateException("model " + model + " version " + version + " is damaged on disk ("
                    + folder + "): " + e.getMessage(), e);
        }
    }

    State state(String model) {
        Path file = root.resolve(model).resolve(STATE_JSON);
        if (!Files.isRegularFile(file)) {
            return State.empty();
        }
        try {
            var json = JSON.readTree(file.toFile());
            List<Integer> history = new ArrayList<>();
            json.path("history").forEach(v -> history.add(v.asInt()));
            TreeSet<Integer> retired = new TreeSet<>();
            json.path("retired").forEach(v -> retired.add(v.asInt()));
            return new State(json.hasNonNull("active") ? json.get("active").asInt() : null, history, retired,
                    json.path("last").asInt(0));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    void writeState(String model, State state) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        if (state.active() != null) {
            json.put("active", state.active());
        } else {
            json.putNull("active");
        }
        ArrayNode history = json.putArray("history");
        state.history().forEach(history::add);
        ArrayNode retired = json.putArray("retired");
        state.retired().forEach(retired::add);
        json.put("last", state.last());
        writeAtomically(root.resolve(model).resolve(STATE_JSON), JSON.writeValueAsBytes(json));
    }

    /** The model's last rollout as written by {@link #writeRollout}, if any. */
    Optional<byte[]> readRollout(String model) {
        Path file = root.resolve(model).resolve(ROLLOUT_JSON);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void writeRollout(String model, byte[] json) throws IOException {
        writeAtomically(root.resolve(model).resolve(ROLLOUT_JSON), json);
    }

    /** Names of the models that have a folder. */
    List<String> modelFolders() {
        return allFolders();
    }

    /**
     * Removes a version: renamed away first (so it vanishes at once and whole from the listing), then deleted; a
     * leftover from a crash in between is removed at the next start like a staging folder.
     */
    void deleteVersion(String model, int version) throws IOException {
        Path gone = root.resolve(model).resolve(".staging-deleted-" + version + "-" + UUID.randomUUID());
        Files.move(folder(model, version), gone, StandardCopyOption.ATOMIC_MOVE);
        delete(gone);
    }

    /** Removes what an interrupted registration left behind. */
    void removeStaging() {
        for (String model : allFolders()) {
            try (Stream<Path> children = Files.list(root.resolve(model))) {
                for (Path child : children.filter(p -> p.getFileName().toString().startsWith(".staging-")).toList()) {
                    delete(child);
                }
            } catch (IOException e) {
                // left for the next start
            }
        }
    }

    private List<String> allFolders() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Removes a model's folder that holds nothing (after a refused first upload); anything in it keeps it. */
    void removeIfEmpty(String model) {
        Path folder = root.resolve(model);
        try (Stream<Path> children = Files.list(folder)) {
            if (children.findAny().isEmpty()) {
                Files.deleteIfExists(folder);
            }
        } catch (IOException e) {
            // not there, or not empty by now: nothing to remove
        }
    }

    static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover staging folder is removed at the next start
        }
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, bytes);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
