package io.edgeai.connector.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.outbox.Outboxes.Overflow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The outbox's bound against a real broker (in memory), with many more putting threads than its publishers. */
public class BrokerOutboxTest {

    private ActiveMQServer server;
    private BrokerOutbox outbox;
    private java.nio.file.Path data;

    @Before
    public void startBroker() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        // as in the gateway: a journal on disk, each durable put synced before it returns
        data = java.nio.file.Files.createTempDirectory("outbox-test");
        config.setPersistenceEnabled(true);
        config.setJournalDirectory(data.resolve("journal").toString());
        config.setBindingsDirectory(data.resolve("bindings").toString());
        config.setPagingDirectory(data.resolve("paging").toString());
        config.setLargeMessagesDirectory(data.resolve("large").toString());
        config.setJournalType(org.apache.activemq.artemis.core.server.JournalType.NIO);
        config.setSecurityEnabled(false);
        config.addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName(),
                java.util.Map.of("serverId", 8)));
        server = new ActiveMQServerImpl(config);
        server.start();
    }

    @After
    public void stopBroker() throws Exception {
        if (outbox != null) {
            outbox.close();
        }
        server.stop();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** 32 threads put 20 messages each into an outbox of 50: it keeps 50 (within its publishers), counts the rest. */
    @Test
    public void theBoundHoldsWithManyThreadsPutting() throws Exception {
        for (Overflow overflow : new Overflow[] {Overflow.DROP_NEWEST, Overflow.DROP_OLDEST}) {
            String queue = "test.outbox." + overflow.name().toLowerCase(java.util.Locale.ROOT);
            outbox = new BrokerOutbox(server, new BrokerLink("vm://8", null, null), queue, 50, overflow, 1);
            ExecutorService putters = Executors.newFixedThreadPool(32);
            List<Future<Integer>> kept = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int thread = t;
                kept.add(putters.submit(() -> {
                    int n = 0;
                    for (int i = 0; i < 20; i++) {
                        if (outbox.put("d" + thread, ("m" + thread + "-" + i).getBytes(StandardCharsets.UTF_8))) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            putters.shutdown();
            assertEquals(true, putters.awaitTermination(60, TimeUnit.SECONDS));
            int accepted = 0;
            for (Future<Integer> f : kept) {
                accepted += f.get();
            }
            // the broker may count a message that was just synced a moment late: the bound holds within the
            // outbox's publishers (8); with every thread counting for itself it was 20 and more over (69-74 kept)
            long size = outbox.size();
            assertTrue(overflow + ": kept " + size + " (accepted " + accepted + ", dropped " + outbox.dropped() + ")",
                    size >= 50 && size <= 50 + 8);
            if (overflow == Overflow.DROP_NEWEST) {
                assertEquals(overflow + ": what was not accepted was dropped", 640 - accepted, outbox.dropped());
                assertEquals(overflow + ": what was accepted is kept", accepted, size);
            } else {
                assertEquals(overflow + ": every put accepted, the oldest dropped", 640, accepted);
                assertEquals(overflow + ": what is not kept was dropped", 640 - size, outbox.dropped());
            }
            outbox.close();
            outbox = null;
        }
    }
}
