package io.edgeai.itests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/**
 * A fleet for a test: a real Kafka broker ({@link KafkaBroker}) and gateways unpacked from the assembly, all in the
 * test's temporary folder, all stopped after it.
 */
public abstract class FleetTestSupport {

    @Rule
    public TemporaryFolder tmp = GatewayProcess.folder();

    protected final List<GatewayProcess> gateways = new ArrayList<>();
    protected KafkaBroker kafka;

    @After
    public void stopTheFleet() throws Exception {
        for (GatewayProcess gateway : gateways) {
            gateway.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    /** Starts the broker with these topics (name to {partitions, compacted (1) or not (0)}). */
    protected Path startKafka(Map<String, int[]> topics) throws Exception {
        Path root = tmp.getRoot().toPath();
        Files.createDirectories(root);
        kafka = new KafkaBroker(root.resolve("kafka"));
        kafka.start();
        kafka.createTopics(topics);
        return root;
    }

    /** A gateway unpacked into the test's folder with the fleet link pointed at the broker (not started). */
    protected GatewayProcess fleetGateway(String id) throws Exception {
        GatewayProcess gateway = GatewayProcess.unpack(tmp.getRoot().toPath().resolve(id));
        gateways.add(gateway);
        gateway.set(FLEET_CFG, "bootstrapServers", kafka.bootstrap());
        gateway.set(FLEET_CFG, "gatewayId", id);
        gateway.set(FLEET_CFG, "statusIntervalSeconds", "2");
        return gateway;
    }

    protected static final String FLEET_CFG = "etc/io.edgeai.fleet.kafka.cfg";
}
