package io.edgeai.itests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Eclipse Mosquitto broker (Debian's mosquitto) on a free loopback port, with persistence in a folder of the
 * test, so that its sessions and queued messages survive a stop and start as a real broker's do.
 */
final class MosquittoBroker implements AutoCloseable {

    final String port = EdgeAiTestSupport.freePort();
    private final Path config;
    private Process process;

    MosquittoBroker(Path folder) throws IOException {
        Files.createDirectories(folder);
        config = folder.resolve("mosquitto.conf");
        // started as root, mosquitto would switch to its own user, which cannot write the test's folder
        Files.writeString(config, "user " + System.getProperty("user.name") + "\n"
                + "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\n"
                + "persistence_location " + folder.toAbsolutePath() + "/\nlog_dest file "
                + folder.toAbsolutePath().resolve("mosquitto.log") + "\n");
    }

    void start() throws IOException {
        process = new ProcessBuilder("mosquitto", "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Socket ignored = new Socket("127.0.0.1", Integer.parseInt(port))) {
                return true;
            } catch (IOException notYet) {
                return !process.isAlive();
            }
        });
        if (!process.isAlive()) {
            throw new IllegalStateException("mosquitto exited with " + process.exitValue());
        }
    }

    /** SIGTERM: mosquitto saves its sessions and stops. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
