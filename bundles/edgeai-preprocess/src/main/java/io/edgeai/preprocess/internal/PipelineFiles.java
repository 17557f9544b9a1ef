package io.edgeai.preprocess.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds pipeline definition files ({@code <name>.pipeline.yaml}, {@code .yml} or {@code .json}) in a few folders and
 * tells what changed since the last look: a file's text is compared, not its time, so a touch is no change and an
 * editor's save-by-rename is one.
 */
final class PipelineFiles {

    private static final Pattern NAME = Pattern.compile("(.+)\\.pipeline\\.(yaml|yml|json)");

    /** What to do about one file. */
    interface Listener {
        void changed(Path file, String pipelineName, String text);

        void removed(Path file, String pipelineName);
    }

    private final List<Path> folders;
    private final Map<Path, String> seen = new HashMap<>();
    private final Set<Path> known = new HashSet<>();

    PipelineFiles(List<Path> folders) {
        this.folders = List.copyOf(folders);
    }

    /** The pipeline name a file defines, or empty when it is not a pipeline file. */
    static Optional<String> pipelineName(Path file) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    static boolean isJson(Path file) {
        return file.getFileName().toString().endsWith(".json");
    }

    /** Makes the next look report the file as changed even if its text is the same. */
    synchronized void forget(Path file) {
        seen.remove(file);
    }

    /** Compares the folders with the last look; {@code all} reports unchanged files as changed too. */
    synchronized void scan(Listener listener, boolean all) {
        Set<Path> present = new HashSet<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                for (Path file : files) {
                    Optional<String> name = pipelineName(file);
                    if (name.isEmpty() || !Files.isRegularFile(file)) {
                        continue;
                    }
                    String text;
                    try {
                        text = Files.readString(file);
                    } catch (IOException e) {
                        continue; // being written or gone: the next look sees it
                    }
                    present.add(file);
                    known.add(file);
                    if (all || !text.equals(seen.get(file))) {
                        seen.put(file, text);
                        listener.changed(file, name.get(), text);
                    }
                }
            } catch (IOException e) {
                // the folder went away: its files count as removed below
            }
        }
        for (Path gone : new HashSet<>(known)) {
            if (!present.contains(gone)) {
                seen.remove(gone);
                known.remove(gone);
                listener.removed(gone, pipelineName(gone).orElseThrow());
            }
        }
    }
}
