package io.edgeai.models.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai.api.model.InvalidModelException;
import io.edgeai.api.model.Lineage;
import io.edgeai.api.model.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A model archive: a zip holding {@code model.json}, the model ({@code model.pt} for TorchScript) and optionally
 * {@code pipeline.json} (the fitted preprocessing pipeline), at its root or in one top folder. Unpacking checks
 * everything that can be checked without running the model, and says exactly what is wrong:
 * <ul>
 *   <li>a zip at all, entries that stay inside the folder (no {@code ..}, no absolute paths), limits on size and
 *       entry count (zip bombs), every entry's CRC (a corrupt download);
 *   <li>{@code model.json}: known format, one input and one output shaped {@code [-1, n]}, feature names matching n,
 *       metrics as numbers, lineage, and the SHA-256 of each file it lists under {@code sha256};
 *   <li>the model file the format needs.
 * </ul>
 */
final class ModelArchive {

    static final String MODEL_JSON = "model.json";
    static final String PIPELINE_JSON = "pipeline.json";
    static final Set<String> FORMATS = Set.of(ModelSpec.TORCHSCRIPT, ModelSpec.DJL);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Limits against archives that would fill the disk. */
    record Limits(long maxArchiveBytes, long maxUnpackedBytes, int maxEntries) {
    }

    /** What an archive declared, once unpacked. */
    record Contents(ModelSpec spec, Map<String, Double> metrics, Lineage lineage, String sha256) {
    }

    private ModelArchive() {
    }

    /** The model file a format needs. */
    static String modelFile(String format) {
        return ModelSpec.DJL.equals(format) ? "model-0000.params" : "model.pt";
    }

    /**
     * Unpacks an archive into an empty folder and checks it.
     *
     * @throws InvalidModelException with the reason; the folder may hold part of the archive then
     */
    static Contents unpack(Path archive, Path into, Limits limits) throws InvalidModelException {
        long size;
        try {
            size = Files.size(archive);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read the archive: " + e.getMessage());
        }
        if (size > limits.maxArchiveBytes()) {
            throw new InvalidModelException("archive of " + size + " bytes exceeds the limit of "
                    + limits.maxArchiveBytes() + " bytes (maxArchiveMegabytes)");
        }
        String sha256 = sha256(archive);
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
                String name = entries.nextElement().getName();
                if (name.startsWith("/") || name.contains("\\") || List.of(name.split("/")).contains("..")) {
                    throw new InvalidModelException("entry '" + name + "' would land outside the model's folder");
                }
            }
            String prefix = rootPrefix(zip);
            long unpacked = 0;
            int count = 0;
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                if (++count > limits.maxEntries()) {
                    throw new InvalidModelException("more than " + limits.maxEntries() + " files in the archive");
                }
                String name = entry.getName();
                if (!name.startsWith(prefix)) {
                    continue;
                }
                Path target = into.resolve(name.substring(prefix.length())).normalize();
                if (!target.startsWith(into)) {
                    throw new InvalidModelException("entry '" + name + "' would land outside the model's folder");
                }
                if (target.equals(into.resolve(ModelStore.VERSION_JSON))) {
                    // it would be overwritten by the registry's own record, and missing from the version's download
                    throw new InvalidModelException("entry '" + name + "': " + ModelStore.VERSION_JSON + " is the name"
                            + " the registry keeps its record of a version under; rename that file");
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        unpacked += n;
                        if (unpacked > limits.maxUnpackedBytes()) {
                            throw new InvalidModelException("archive unpacks to more than " + limits.maxUnpackedBytes()
                                    + " bytes (maxUnpackedMegabytes)");
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (ZipException e) {
                    throw new InvalidModelException("corrupt entry '" + name + "': " + e.getMessage());
                }
            }
        } catch (ZipException e) {
            throw new InvalidModelException("not a zip archive: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidModelException("cannot unpack the archive: " + e.getMessage());
        }
        return read(into, sha256);
    }

    /** "" when model.json is at the root; "folder/" when everything sits in one top folder holding it. */
    static String rootPrefix(ZipFile zip) throws InvalidModelException {
        if (zip.getEntry(MODEL_JSON) != null) {
            return "";
        }
        List<String> candidates = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
            String name = entries.nextElement().getName();
            if (name.endsWith("/" + MODEL_JSON) && name.indexOf('/') == name.length() - MODEL_JSON.length() - 1) {
                candidates.add(name.substring(0, name.length() - MODEL_JSON.length()));
            }
        }
        if (candidates.size() != 1) {
            throw new InvalidModelException("missing model.json at the archive's root (it declares the format and"
                    + " the shapes: {\"format\":\"torchscript\",\"inputs\":[{\"name\":\"x\",\"shape\":[-1,16]}],"
                    + "\"outputs\":[{\"name\":\"y\",\"shape\":[-1,1]}]})");
        }
        return candidates.get(0);
    }

    /** Reads and checks an unpacked archive's model.json against the files beside it. */
    static Contents read(Path folder, String sha256) throws InvalidModelException {
        Path modelJson = folder.resolve(MODEL_JSON);
        if (!Files.isRegularFile(modelJson)) {
            throw new InvalidModelException("missing model.json");
        }
        JsonNode root;
        try {
            root = JSON.readTree(modelJson.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidModelException("model.json is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new InvalidModelException("cannot read model.json: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidModelException("model.json must be a JSON object");
        }
        String format = text(root, "format");
        if (!FORMATS.contains(format)) {
            throw new InvalidModelException("model.json format '" + format + "' is not supported (known: " + FORMATS
                    + ")");
        }
        JsonNode input = single(root, "inputs");
        JsonNode output = single(root, "outputs");
        int inputSize = width(input, "inputs[0]");
        int outputSize = width(output, "outputs[0]");
        List<String> features = new ArrayList<>();
        JsonNode names = input.get("features");
        if (names != null) {
            if (!names.isArray()) {
                throw new InvalidModelException("model.json inputs[0].features must be a list of names");
            }
            names.forEach(n -> features.add(n.asText()));
            if (features.size() != inputSize) {
                throw new InvalidModelException("model.json inputs[0].features names " + features.size()
                        + " features for an input of width " + inputSize);
            }
        }
        String modelFile = modelFile(format);
        if (!Files.isRegularFile(folder.resolve(modelFile))) {
            throw new InvalidModelException("missing " + modelFile + " (format " + format + ")");
        }
        checkDigests(root, folder);
        boolean pipeline = Files.isRegularFile(folder.resolve(PIPELINE_JSON));
        Map<String, Object> architecture = Map.of();
        if (ModelSpec.DJL.equals(format)) {
            JsonNode settings = root.get("architecture");
            if (settings == null || !settings.isObject() || !settings.path("name").isTextual()) {
                throw new InvalidModelException("model.json of format djl needs \"architecture\": {\"name\": ...,"
                        + " its settings} to rebuild the network its parameters belong to");
            }
            architecture = JSON.convertValue(settings, new com.fasterxml.jackson.core.type.TypeReference<
                    Map<String, Object>>() { });
        }
        ModelSpec spec = new ModelSpec(format, input.path("name").asText("x"), inputSize, features,
                output.path("name").asText("y"), outputSize, pipeline, architecture, pipelineInputs(root, pipeline));
        return new Contents(spec, metrics(root), lineage(root), sha256);
    }

    /** The names of the values the pipeline takes, in order: what a row of numbers sent to predict means. */
    private static List<String> pipelineInputs(JsonNode root, boolean pipeline) throws InvalidModelException {
        JsonNode names = root.get("pipelineInputs");
        if (names == null) {
            return List.of();
        }
        if (!pipeline) {
            throw new InvalidModelException("model.json pipelineInputs names the inputs of a pipeline, but the archive"
                    + " has no pipeline.json");
        }
        String expected = "model.json pipelineInputs must list distinct value names, e.g. [\"flow\", \"pressure\"]";
        if (!names.isArray() || names.isEmpty()) {
            throw new InvalidModelException(expected);
        }
        List<String> list = new ArrayList<>();
        for (JsonNode name : names) {
            if (!name.isTextual() || name.asText().isBlank() || list.contains(name.asText())) {
                throw new InvalidModelException(expected);
            }
            list.add(name.asText());
        }
        return list;
    }

    private static String text(JsonNode root, String field) throws InvalidModelException {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new InvalidModelException("model.json needs \"" + field + "\" (text)");
        }
        return node.asText();
    }

    private static JsonNode single(JsonNode root, String field) throws InvalidModelException {
        JsonNode list = root.get(field);
        if (list == null || !list.isArray() || list.size() != 1 || !list.get(0).isObject()) {
            throw new InvalidModelException("model.json \"" + field + "\" must list exactly one tensor, e.g. [{\"name\":"
                    + "\"x\",\"shape\":[-1,16]}]");
        }
        return list.get(0);
    }

    /** n of a [-1, n] shape. */
    private static int width(JsonNode tensor, String where) throws InvalidModelException {
        JsonNode shape = tensor.get("shape");
        if (shape == null || !shape.isArray() || shape.size() != 2 || shape.get(0).asInt() != -1
                || !shape.get(1).isInt() || shape.get(1).asInt() < 1) {
            throw new InvalidModelException("model.json " + where + ".shape must be [-1, n] (a batch of vectors of"
                    + " n values), not " + shape);
        }
        return shape.get(1).asInt();
    }

    private static void checkDigests(JsonNode root, Path folder) throws InvalidModelException {
        JsonNode digests = root.get("sha256");
        if (digests == null) {
            return;
        }
        if (!digests.isObject()) {
            throw new InvalidModelException("model.json sha256 must map file names to hex digests");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = digests.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> digest = it.next();
            Path file = folder.resolve(digest.getKey()).normalize();
            if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
                throw new InvalidModelException("model.json sha256 lists '" + digest.getKey()
                        + "', which the archive does not hold");
            }
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(digest.getValue().asText())) {
                throw new InvalidModelException("checksum mismatch for " + digest.getKey() + ": model.json says "
                        + digest.getValue().asText() + ", the file's SHA-256 is " + actual);
            }
        }
    }

    private static Map<String, Double> metrics(JsonNode root) throws InvalidModelException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        JsonNode node = root.get("metrics");
        if (node == null) {
            return metrics;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> metric = it.next();
            if (!metric.getValue().isNumber() || !Double.isFinite(metric.getValue().asDouble())) {
                throw new InvalidModelException("model.json metric '" + metric.getKey() + "' must be a finite number");
            }
            metrics.put(metric.getKey(), metric.getValue().asDouble());
        }
        return metrics;
    }

    private static Lineage lineage(JsonNode root) throws InvalidModelException {
        JsonNode node = root.get("lineage");
        if (node == null) {
            return Lineage.uploaded();
        }
        try {
            // who signed it is what the signature says, never what model.json claims
            return lineage(node, false);
        } catch (DateTimeParseException e) {
            throw new InvalidModelException("model.json lineage times must be ISO-8601: " + e.getMessage());
        }
    }

    /** A lineage as JSON holds it ({@code parentVersion, jobId, dataFrom, dataTo}, and {@code signer} if asked). */
    static Lineage lineage(JsonNode node, boolean signer) {
        return new Lineage(node.hasNonNull("parentVersion") ? node.get("parentVersion").asInt() : null,
                node.hasNonNull("jobId") ? node.get("jobId").asText() : null,
                node.hasNonNull("dataFrom") ? Instant.parse(node.get("dataFrom").asText()) : null,
                node.hasNonNull("dataTo") ? Instant.parse(node.get("dataTo").asText()) : null,
                signer && node.hasNonNull("signer") ? node.get("signer").asText() : null);
    }

    /** The SHA-256 of bytes, hex. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String sha256(Path file) throws InvalidModelException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) > 0) {
                // digesting
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new InvalidModelException("cannot read " + file.getFileName() + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
