package io.edgeai.rest.internal;

import io.edgeai.api.model.ModelVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A version's archive as a device or another gateway downloads it ({@code GET /api/v1/models/{name}/archive}): the
 * files it was registered with (a signed archive keeps its signature: what is signed are the files, not the zip's
 * bytes), zipped the same way every time (sorted, with the version's time), so that the bytes, and the strong ETag
 * that names them, stay the same for the version. {@code If-None-Match} with that ETag answers 304 without a body.
 */
final class ArchiveDownload {

    /** What the registry keeps beside a version's files: not part of the archive. */
    private static final String REGISTRY_FILE = "version.json";

    private ArchiveDownload() {
    }

    /** The version's ETag: its model, number and the SHA-256 of the archive it was registered from. */
    static String etag(ModelVersion version) {
        return "\"" + version.model() + "-v" + version.version() + "-" + version.sha256().substring(0,
                Math.min(16, version.sha256().length())) + "\"";
    }

    static void send(HttpServletRequest request, HttpServletResponse response, ModelVersion version, Path folder)
            throws IOException {
        String etag = etag(version);
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "no-cache"); // may be kept, but asked about again
        String match = request.getHeader("If-None-Match");
        if (match != null && (match.trim().equals("*") || List.of(match.split(",")).stream().map(String::trim)
                .anyMatch(etag::equals))) {
            response.setStatus(304);
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !folder.relativize(f).toString().equals(
                    REGISTRY_FILE)).sorted().collect(Collectors.toList());
        }
        response.setStatus(200);
        response.setContentType("application/zip");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + version.model() + "-v"
                + version.version() + ".zip\"");
        response.setHeader("X-EdgeAI-Model-Version", String.valueOf(version.version()));
        FileTime time = FileTime.from(version.created());
        try (OutputStream body = response.getOutputStream(); ZipOutputStream zip = new ZipOutputStream(body)) {
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(folder.relativize(file).toString().replace('\\', '/'));
                entry.setLastModifiedTime(time);
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }
}
