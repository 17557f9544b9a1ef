package io.edgeai.connector.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.model.ModelRegistry;
import io.edgeai.api.model.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a device fetches of a model: the active version's files in the device format (docs/models.md, "The device
 * format") and, when the archive was signed, its signed manifest and signature, each with its size and SHA-256; and
 * the notice that names them (what CoAP {@code GET /models/{name}} answers and MQTT retains on
 * {@code edgeai/models/{name}}).
 *
 * @param model the model's name
 * @param version the active version
 * @param files the files, by the name a device asks for
 */
public record DeviceModel(String model, int version, List<File> files) {

    /** The files a device may fetch, by name, and where each is in a version's folder. */
    private static final String[][] NAMES = {{"device.json", "device/device.json"},
        {"weights.bin", "device/weights.bin"}, {"manifest.sha256", "manifest.sha256"}, {"manifest.sig", "manifest.sig"},
        {"manifest.key", "manifest.key"}};

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One file.
     *
     * @param name what a device asks for
     * @param path where it is in the version's archive
     * @param size its length in bytes
     * @param sha256 its digest (hex)
     * @param location where it is on the gateway's disk
     */
    public record File(String name, String path, long size, String sha256, Path location) {
    }

    /**
     * The active version of {@code model} as a device fetches it; empty when the model is unknown, has no active
     * version, or that version has no device format.
     */
    public static Optional<DeviceModel> active(ModelRegistry registry, String model) throws IOException {
        Optional<ModelVersion> active = registry.active(model);
        if (active.isEmpty()) {
            return Optional.empty();
        }
        int version = active.get().version();
        Optional<Path> folder = registry.directory(model, version);
        if (folder.isEmpty() || !Files.isRegularFile(folder.get().resolve(NAMES[0][1]))) {
            return Optional.empty();
        }
        List<File> files = new ArrayList<>();
        for (String[] name : NAMES) {
            Path location = folder.get().resolve(name[1]);
            if (Files.isRegularFile(location)) {
                files.add(new File(name[0], name[1], Files.size(location), sha256(location), location));
            }
        }
        return Optional.of(new DeviceModel(model, version, List.copyOf(files)));
    }

    /** The file a device asks for by {@code name}, if this version has it. */
    public Optional<File> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * The notice: {@code {"model", "version", "format", "files": [{"name", "path", "size", "sha256"}], "signed"}},
     * where {@code path} is the file's path in the archive (what the signed manifest lists) and the files are fetched
     * at {@code base + name}.
     */
    public String notice(String base) {
        ObjectNode notice = JSON.createObjectNode();
        notice.put("model", model);
        notice.put("version", version);
        notice.put("format", "edgeai-device/1");
        ArrayNode list = notice.putArray("files");
        for (File file : files) {
            ObjectNode entry = list.addObject();
            entry.put("name", file.name());
            entry.put("path", file.path());
            entry.put("fetch", base + file.name());
            entry.put("size", file.size());
            entry.put("sha256", file.sha256());
        }
        notice.put("signed", file("manifest.sig").isPresent());
        return notice.toString();
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
