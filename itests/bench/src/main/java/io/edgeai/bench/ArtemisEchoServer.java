package io.edgeai.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * The raw MQTT baseline the gateway's broker can be held against: ActiveMQ Artemis, the broker the gateway embeds, in
 * a JVM of its own with the gateway's journal settings (NIO, datasync, 1 ms buffer timeout, acknowledgements not
 * synced) and one MQTT listener, no security, nothing else. A client that publishes on a topic it subscribed to
 * measures the broker's round trip, as with mosquitto. Artemis journals a message only for a durable queue: a QoS 1
 * publish is synced before PUBACK, as in the gateway, when the subscriber keeps a persistent session (its subscription
 * is then a durable queue); for a clean session's subscriber nothing is written.
 *
 * <pre>ArtemisEchoServer port data-folder</pre>
 */
public final class ArtemisEchoServer {

    private ArtemisEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Files.createDirectories(Path.of(args[1]));
        Configuration config = new ConfigurationImpl().setName("raw").setPersistenceEnabled(true)
                .setSecurityEnabled(false).setJournalType(JournalType.NIO).setJournalDatasync(true)
                .setJournalBufferTimeout_NIO(1_000_000).setJournalSyncTransactional(false)
                .setJournalMinFiles(2).setJournalPoolFiles(4)
                .setJournalFileSize(4 * 1024 * 1024)
                .setJournalDirectory(data.resolve("journal").toString())
                .setBindingsDirectory(data.resolve("bindings").toString())
                .setPagingDirectory(data.resolve("paging").toString())
                .setLargeMessagesDirectory(data.resolve("large-messages").toString());
        config.addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + args[0] + "?protocols=MQTT;tcpNoDelay=true");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                System.err.println("broker stop: " + e);
            }
        }));
        System.out.println("Artemis MQTT echo broker on " + args[0]);
    }
}
