package io.edgeai.djl.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a libtorch folder holds, read from its files before the engine loads it: a CUDA build has
 * {@code libtorch_cuda.so}; a libtorch distribution says its version and build in {@code build-version}
 * ({@code 2.7.1+cu128}) beside or above its {@code lib} folder; DJL's JNI glue ({@code libdjl_torch.so}) may be there.
 *
 * @param folder the folder, as configured
 * @param present whether it holds {@code libtorch.so}
 * @param cuda whether it is a CUDA build
 * @param flavor DJL's name of the build: {@code cpu}, {@code cu128}, ...; empty for a CUDA build that says not which
 * @param version the libtorch version its build-version names, or empty
 * @param glue whether DJL's JNI glue is in the folder (else DJL takes the flavor's glue from its JNI jar)
 */
record LibTorch(String folder, boolean present, boolean cuda, String flavor, String version, boolean glue) {

    private static final Pattern BUILD = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:\\+(\\w+))?");

    static LibTorch inspect(String folder) {
        if (folder == null || folder.isBlank()) {
            return new LibTorch("", false, false, "", "", false);
        }
        Path dir = Path.of(folder);
        boolean cuda = Files.exists(dir.resolve("libtorch_cuda.so")) || Files.exists(dir.resolve("libc10_cuda.so"));
        String version = "";
        String flavor = cuda ? "" : "cpu";
        for (Path candidate : new Path[] {dir.resolve("build-version"), dir.resolveSibling("build-version")}) {
            Matcher build = candidate == null ? null : read(candidate);
            if (build != null) {
                version = build.group(1);
                String tag = build.group(2) == null ? "" : build.group(2).toLowerCase(Locale.ROOT);
                if (tag.startsWith("cu")) {
                    flavor = tag;
                } else if (!cuda) {
                    flavor = "cpu";
                }
                break;
            }
        }
        return new LibTorch(folder, Files.exists(dir.resolve("libtorch.so")), cuda, flavor, version,
                Files.exists(dir.resolve("libdjl_torch.so")));
    }

    /** The folder as configured: a flavor set in the configuration wins over what the folder says. */
    static LibTorch of(DjlSettings settings) {
        LibTorch found = inspect(EngineLoader.libraryFolder(settings));
        return settings.flavor().isEmpty() ? found : new LibTorch(found.folder(), found.present(), found.cuda(),
                settings.flavor(), found.version(), found.glue());
    }

    private static Matcher read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            Matcher build = BUILD.matcher(Files.readString(file).trim());
            return build.matches() ? build : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** "libtorch 2.7.1 (cu128) at /opt/libtorch/lib", as an operator reads it. */
    String describe() {
        if (folder.isEmpty()) {
            return "libtorch from DJL's environment (PYTORCH_LIBRARY_PATH)";
        }
        if (!present) {
            return "no libtorch.so in " + folder;
        }
        return "libtorch" + (version.isEmpty() ? "" : " " + version) + " (" + (cuda ? flavor.isEmpty() ? "a CUDA build"
                : "CUDA build " + flavor : "CPU build") + ") at " + folder;
    }
}
