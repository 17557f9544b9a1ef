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
    public TemporaryFolder tmp = GatewayProcess.folder();

    private GatewayProcess gateway;

    @Before
    public void start() throws Exception {
        gateway = GatewayProcess.unpack(tmp.getRoot().toPath());
        gateway.start(false);
        gateway.awaitConnectors();
    }

    @After
    public void stop() throws Exception {
        gateway.stop();
    }

    @Test
    public void commandsExitZeroAndRefusalsSayWhyAndExitNonZero() throws Exception {
        // the console commands register a little after the connectors: wait until the status answers, and says the
        // gateway as a whole is UP (STARTING while a feature it was asked for is not started yet, DOWN or DEGRADED
        // while a component is, as GET /api/v1/health) - what a script waiting for the gateway does
        GatewayProcess.Script[] last = new GatewayProcess.Script[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = gateway.script("edgeai:status");
            return last[0].exit() == 0 && last[0].output().matches(
                    "(?s).*gateway\\s+\\|\\s+UP\\s+\\|\\s+\\d+ edgeai feature\\(s\\) started.*");
        });
        GatewayProcess.Script status = last[0];
        assertTrue(status.output(), status.output().contains("mqtt"));
        assertTrue(status.output(), !status.output().matches("(?s).*\\|\\s+(DOWN|DEGRADED)\\s+\\|.*"));
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

        // bin/edgeai: one command as arguments, what bin/client "command" cannot do without a terminal
        GatewayProcess.Script wrapped = gateway.program(java.util.Map.of(), "bin/edgeai", "edgeai:status");
        assertEquals(wrapped.output(), 0, wrapped.exit());
        assertTrue(wrapped.output(), wrapped.output().contains("connector-mqtt"));
        GatewayProcess.Script wrappedRefusal = gateway.program(java.util.Map.of(), "bin/edgeai", "edgeai:predict",
                "nosuch", "1");
        assertNotEquals(wrappedRefusal.output(), 0, wrappedRefusal.exit());
        assertTrue(wrappedRefusal.output(), wrappedRefusal.output().contains("no model 'nosuch'"));
        GatewayProcess.Script quoted = gateway.program(java.util.Map.of(), "bin/edgeai", "echo", "two words",
                "a\"quote");
        assertTrue(quoted.output(), quoted.output().contains("two words a\"quote"));
        // what the console would read as a variable, a list, a closure, a comment, a redirection or an escape
        GatewayProcess.Script literal = gateway.program(java.util.Map.of(), "bin/edgeai", "echo", "a$b", "[1,2]",
                "(y)", "#h", "x<y&z;w|v", "it's", "back\\slash", "C:\\x\\\\y");
        assertEquals(literal.output(), 0, literal.exit());
        assertTrue(literal.output(), literal.output().contains(
                "a$b [1,2] (y) #h x<y&z;w|v it's back\\slash C:\\x\\\\y"));
        GatewayProcess.Script twoLines = gateway.program(java.util.Map.of(), "bin/edgeai", "echo", "a\nb");
        assertEquals(twoLines.output(), 2, twoLines.exit());
        assertTrue(twoLines.output(), twoLines.output().contains("an argument spans lines"));
        GatewayProcess.Script wrongPassword = gateway.program(java.util.Map.of(), "bin/edgeai", "-p", "wrong",
                "edgeai:status");
        assertNotEquals(wrongPassword.output(), 0, wrongPassword.exit());

        // the GPU check an operator runs: on this machine (no GPU, the assembly's CPU build) it fails and says why
        GatewayProcess.Script gpu = gateway.program(java.util.Map.of(), "bin/edgeai-gpu-check");
        assertEquals(gpu.output(), 1, gpu.exit());
        assertTrue(gpu.output(), gpu.output().contains("FAIL  NVIDIA driver: nvidia-smi not found")
                || gpu.output().contains("OK    GPU "));
        assertTrue(gpu.output(), gpu.output().contains("FAIL  libtorch: " + gateway.home.resolve("lib/pytorch")
                + " is a CPU build (no libtorch_cuda.so)"));
        assertTrue(gpu.output(), gpu.output().contains("OK    device = auto"));
        assertTrue(gpu.output(), gpu.output().contains("FAIL  the running gateway computes on cpu"));

        // OpenSSH: the command as the remote command; the password from SSH_ASKPASS, as a script without a terminal
        java.nio.file.Path askpass = tmp.newFile("askpass.sh").toPath();
        java.nio.file.Files.writeString(askpass, "#!/bin/sh\necho karaf\n");
        askpass.toFile().setExecutable(true);
        java.util.Map<String, String> noTerminal = java.util.Map.of("SSH_ASKPASS", askpass.toString(),
                "SSH_ASKPASS_REQUIRE", "force", "DISPLAY", ":0");
        String[] ssh = {"ssh", "-p", gateway.sshPort(), "-o", "StrictHostKeyChecking=no", "-o",
            "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR",
            "karaf@127.0.0.1"};
        GatewayProcess.Script overSsh = gateway.program(noTerminal, concat(ssh, "edgeai:status"));
        assertEquals(overSsh.output(), 0, overSsh.exit());
        assertTrue(overSsh.output(), overSsh.output().contains("connector-mqtt"));
        GatewayProcess.Script refusedOverSsh = gateway.program(noTerminal, concat(ssh, "edgeai:predict nosuch 1"));
        assertNotEquals(refusedOverSsh.output(), 0, refusedOverSsh.exit());
        assertTrue(refusedOverSsh.output(), refusedOverSsh.output().contains("no model 'nosuch'"));
    }

    private static String[] concat(String[] first, String last) {
        String[] all = java.util.Arrays.copyOf(first, first.length + 1);
        all[first.length] = last;
        return all;
    }

    /**
     * Every console line the README shows, run in its order with bin/edgeai in a fresh distribution (its examples/
     * included): each one works. A line that drifts from what the gateway does fails here, not for a new user.
     */
    @Test
    public void everyConsoleLineOfTheReadmeWorks() throws Exception {
        java.util.List<String> readme = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "README.md"));
        int start = readme.indexOf(readme.stream().filter(l -> l.contains("Then try, in the gateway's folder"))
                .findFirst().orElseThrow(() -> new AssertionError("README: the console section moved")));
        while (!readme.get(start).startsWith("```")) {
            start++;
        }
        java.util.List<String> commands = new java.util.ArrayList<>();
        for (int i = start + 1; !readme.get(i).startsWith("```"); i++) {
            String command = readme.get(i).split("\\s{2,}")[0].trim();
            for (String part : command.split(" / ")) {
                commands.add(part.trim());
            }
        }
        assertTrue(commands.toString(), commands.size() >= 15 && commands.contains("edgeai:predict pump-flow 2100 1500"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> gateway.script("edgeai:status").exit() == 0);
        for (String command : commands) {
            java.util.List<String> words = new java.util.ArrayList<>(java.util.List.of("bin/edgeai"));
            words.addAll(java.util.List.of(command.split("\\s+")));
            GatewayProcess.Script ran = gateway.program(java.util.Map.of(), words.toArray(new String[0]));
            assertEquals(command + ": " + ran.output(), 0, ran.exit());
            assertTrue(command + " printed nothing", !ran.output().isBlank());
        }
        GatewayProcess.Script predicted = gateway.program(java.util.Map.of(), "bin/edgeai", "edgeai:predict",
                "pump-flow", "2100", "1500");
        // the example's flow at pressure 2100, rpm 1500: 14 + 0.012 * 50 - 0.004 * 100 + 0.5 sin(25) = 14.13
        java.util.regex.Matcher flow = java.util.regex.Pattern.compile("\\[([-0-9.]+)\\]").matcher(predicted.output());
        assertTrue(predicted.output(), flow.find());
        assertEquals(predicted.output(), 14.13, Double.parseDouble(flow.group(1)), 0.3);
        assertEquals("errors in karaf.log", "", gateway.errors());
    }
}
