package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.time.Duration;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The console as a script drives it (cron, Ansible, CI): the unpacked assembly started by bin/karaf, commands through
 * bin/client -b with no terminal. A command that works exits 0; a refusal prints its reason and makes the client exit
 * non-zero, and is not an ERROR with a stack trace in the gateway's log.
 */
public class ConsoleScriptingIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder(new File(System.getProperty("edgeai.exam.dir", "target")));

    private GatewayProcess gateway;

    @Before
    public void start() throws Exception {
        tmp.getRoot().mkdirs();
        gateway = GatewayProcess.unpack(tmp.getRoot().toPath());
        gateway.start(false);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> !gateway.alive() || gateway.logText().contains("MQTT connector up"));
        assertTrue("gateway exited: " + gateway.consoleOut(), gateway.alive());
    }

    @After
    public void stop() throws Exception {
        gateway.stop();
    }

    @Test
    public void commandsExitZeroAndRefusalsSayWhyAndExitNonZero() throws Exception {
        // the console commands register a little after the connectors: wait until the status answers
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> gateway.script("edgeai:status").exit() == 0);
        GatewayProcess.Script status = gateway.script("edgeai:status");
        assertTrue(status.output(), status.output().contains("mqtt"));
        // bin/setenv finds the JDK when JAVA_HOME is not set: no warning on every call
        assertTrue(status.output(), !status.output().contains("JAVA_HOME not set"));

        for (String[] refusal : new String[][] {
            {"edgeai:predict nosuch 1", "no model 'nosuch'"},
            {"edgeai:predict nosuch x", "Not a number"},
            {"edgeai:job-show job-nosuch", "No training job job-nosuch"},
            {"edgeai:model-upload nosuch /nonexistent/model.zip", "No file /nonexistent/model.zip"},
            {"edgeai:credential-remove nosuch", "No credential named nosuch"}}) {
            GatewayProcess.Script refused = gateway.script(refusal[0]);
            assertNotEquals(refusal[0] + ": " + refused.output(), 0, refused.exit());
            assertTrue(refusal[0] + ": " + refused.output(), refused.output().contains(refusal[1]));
        }
        assertEquals("errors in karaf.log", "", gateway.errors());
    }
}
