package io.edgeai.itests;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, as a user's browser: it loads a page, runs its scripts (for {@code budgetMillis} of
 * the page's time, fetches included) and gives the DOM they made, or a screenshot. Each call is a fresh browser with
 * its own temporary profile, started with the flags that keep it off the network (no updates, no sync, no
 * background requests), and is gone when the call returns.
 */
final class Chromium {

    private static final String BINARY = "/usr/bin/chromium";

    private Chromium() {
    }

    static boolean installed() {
        return new File(BINARY).canExecute();
    }

    /** The page's DOM after its scripts ran for {@code budgetMillis}. */
    static String dom(String url, int budgetMillis) throws Exception {
        return run(url, budgetMillis, "--dump-dom");
    }

    /** A PNG of the page, {@code width} x {@code height}, after its scripts ran for {@code budgetMillis}. */
    static void screenshot(String url, int budgetMillis, Path png, int width, int height) throws Exception {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(url, budgetMillis, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars");
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("Chromium wrote no screenshot to " + png);
        }
    }

    private static String run(String url, int budgetMillis, String... what) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path errors = Files.createTempFile("chromium", ".log");
        List<String> command = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio",
                "--user-data-dir=" + profile, "--virtual-time-budget=" + budgetMillis));
        command.addAll(List.of(what));
        command.add(url);
        Process chromium = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        try {
            String out = new String(chromium.getInputStream().readAllBytes());
            if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("Chromium did not finish with " + url);
            }
            if (chromium.exitValue() != 0) {
                throw new AssertionError("Chromium exited with " + chromium.exitValue() + ": "
                        + Files.readString(errors));
            }
            return out;
        } finally {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
            chromium.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(errors);
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
