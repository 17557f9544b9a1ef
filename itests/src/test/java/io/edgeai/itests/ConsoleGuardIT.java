package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.inject.Inject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.junit.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The console is closed by default: SSH listens on the loopback interface only, an operator who opens it to the network
 * while karaf/karaf still logs in is kept on 127.0.0.1 (with the reason in the health), and the console opens once the
 * password is changed; passwords are stored hashed once used.
 */
public class ConsoleGuardIT extends EdgeAiTestSupport {

    @Inject
    private ConfigurationAdmin configs;

    @Override
    protected boolean remoteShell() {
        return true;
    }

    @Test
    public void theConsoleStaysOnLoopbackUntilTheDefaultPasswordIsChanged() throws Exception {
        int port = Integer.parseInt(shell().get("sshPort").toString());
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> listeners(port).equals(List.of("127.0.0.1")));
        Health first = await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(this::console,
                h -> h.reason().contains("default password"));
        assertEquals(Status.UP, first.status());
        // the guard's own login hashed the shipped password: no password in clear in the file
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> userLine("karaf").contains("{CRYPT}"));

        // an operator opens the console to the network without changing the password: kept on loopback, and told why
        executeCommand("config:property-set -p org.apache.karaf.shell sshHost 0.0.0.0");
        Health kept = await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(this::console,
                h -> h.status() == Status.DEGRADED);
        assertTrue(kept.reason(), kept.reason().contains("kept on 127.0.0.1:" + port + " instead of 0.0.0.0"));
        assertEquals("127.0.0.1", shell().get("sshHost"));
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> listeners(port).equals(List.of("127.0.0.1")));

        // a password of one's own: the console opens where the operator wanted it
        replaceUserLine("karaf", "karaf = an-operator-secret,_g_:admingroup");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> "0.0.0.0".equals(shell().get("sshHost")));
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> listeners(port).equals(List.of("0.0.0.0")));
        assertEquals(Status.UP, await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(this::console,
                h -> h.reason().equals("on 0.0.0.0:" + port)).status());
        assertFalse(login("karaf", "karaf"));
        assertTrue(login("karaf", "an-operator-secret"));
        assertTrue(userLine("karaf"), userLine("karaf").contains("{CRYPT}"));
        assertFalse(userLine("karaf"), userLine("karaf").contains("an-operator-secret"));
    }

    private Dictionary<String, Object> shell() throws IOException {
        return configs.getConfiguration("org.apache.karaf.shell", null).getProperties();
    }

    private Health console() throws Exception {
        for (ServiceReference<HealthIndicator> ref : bundleContext.getServiceReferences(HealthIndicator.class, null)) {
            Health health = bundleContext.getService(ref).health();
            if (health.component().equals("console")) {
                return health;
            }
        }
        throw new AssertionError("no console health");
    }

    /**
     * The local addresses of the TCP sockets listening on {@code port}, from /proc/net/tcp and tcp6 (Java's server
     * sockets are IPv6 sockets: 127.0.0.1 shows as ::ffff:127.0.0.1, every interface as ::), as IPv4 text.
     */
    private static List<String> listeners(int port) throws IOException {
        List<String> found = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try (Stream<String> lines = Files.lines(Path.of(table))) {
                lines.skip(1).map(String::trim).map(line -> line.split("\\s+"))
                        .filter(f -> f[3].equals("0A") && Integer.parseInt(f[1].split(":")[1], 16) == port)
                        .map(f -> ipv4(f[1].split(":")[0])).forEach(found::add);
            }
        }
        return found;
    }

    /** An address of /proc/net/tcp(6) as IPv4 text; the IPv6 any address as 0.0.0.0. */
    private static String ipv4(String hex) {
        if (hex.length() == 32) {
            if (hex.matches("0{32}")) {
                return "0.0.0.0";
            }
            if (!hex.startsWith("0000000000000000FFFF0000")) {
                return hex;
            }
            hex = hex.substring(24);
        }
        long a = Long.parseLong(hex, 16);
        return String.format(Locale.ROOT, "%d.%d.%d.%d", a & 0xff, (a >> 8) & 0xff, (a >> 16) & 0xff, (a >> 24) & 0xff);
    }

    private static Path users() {
        return Path.of(System.getProperty("karaf.etc"), "users.properties");
    }

    private static String userLine(String user) throws IOException {
        return Files.readAllLines(users()).stream().filter(l -> l.startsWith(user + " =") || l.startsWith(user + "="))
                .findFirst().orElse("");
    }

    private static void replaceUserLine(String user, String line) throws IOException {
        List<String> lines = Files.readAllLines(users()).stream()
                .map(l -> l.startsWith(user + " =") || l.startsWith(user + "=") ? line : l).toList();
        Files.write(users(), lines);
    }

    private static boolean login(String user, String password) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            LoginContext context = new LoginContext("karaf", callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback secret) {
                        secret.setPassword(password.toCharArray());
                    }
                }
            });
            context.login();
            context.logout();
            return true;
        } catch (LoginException refused) {
            return false;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
