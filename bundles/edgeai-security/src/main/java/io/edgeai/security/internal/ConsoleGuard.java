package io.edgeai.security.internal;

import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Dictionary;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the console (Karaf's SSH server) on the loopback interface while the shipped {@code karaf} / {@code karaf}
 * still logs in: an {@code sshHost} that would open it to the network is moved back to {@code 127.0.0.1} and kept as
 * {@value #WANTED}; once the default password no longer works the wanted address is applied. Checked at start, when
 * the console's configuration changes and every {@value #PERIOD_SECONDS} s (the users file is no configuration).
 */
@Component(service = {HealthIndicator.class, ConfigurationListener.class}, immediate = true)
public final class ConsoleGuard implements HealthIndicator, ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleGuard.class);
    static final String SHELL_PID = "org.apache.karaf.shell";
    static final String WANTED = "edgeai.sshHost.wanted";
    static final String LOOPBACK = "127.0.0.1";
    private static final String DEFAULT_USER = "karaf";
    private static final long PERIOD_SECONDS = 10;

    private static final long RELOGIN_MINUTES = 10;

    private final ConfigurationAdmin configs;
    private long usersStamp;
    private long loggedInAt;
    private boolean defaultWorked;
    private final ScheduledExecutorService checks;
    private volatile Health health = new Health("console", Status.UP, "not checked yet");

    @Activate
    public ConsoleGuard(@Reference ConfigurationAdmin configs) {
        this.configs = configs;
        this.checks = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "edgeai-console-guard");
            thread.setDaemon(true);
            return thread;
        });
        checks.scheduleWithFixedDelay(this::check, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        checks.shutdownNow();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (SHELL_PID.equals(event.getPid()) && !checks.isShutdown()) {
            checks.execute(this::check);
        }
    }

    @Override
    public Health health() {
        return health;
    }

    private synchronized void check() {
        try {
            Configuration shell = configs.getConfiguration(SHELL_PID, null);
            Dictionary<String, Object> properties = shell.getProperties();
            if (properties == null) {
                health = new Health("console", Status.UP, "no console configured");
                return;
            }
            String host = string(properties.get("sshHost"), "0.0.0.0");
            String port = string(properties.get("sshPort"), "8101");
            String wanted = string(properties.get(WANTED), null);
            boolean defaultWorks = defaultPasswordWorksNow();
            if (defaultWorks && !loopback(host)) {
                properties.put(WANTED, host);
                properties.put("sshHost", LOOPBACK);
                shell.update(properties);
                LOG.warn("The console stays on {}:{}, not {}: the default password of user '{}' still works. Give it a"
                        + " password of your own in etc/users.properties; the console then opens on {} by itself",
                        LOOPBACK, port, host, DEFAULT_USER, host);
                wanted = host;
            } else if (!defaultWorks && wanted != null) {
                properties.put("sshHost", wanted);
                properties.remove(WANTED);
                shell.update(properties);
                LOG.info("The default password no longer works: the console opens on {}:{} as configured", wanted,
                        port);
                host = wanted;
                wanted = null;
            }
            health = wanted != null
                    ? new Health("console", Status.DEGRADED, "kept on " + LOOPBACK + ":" + port + " instead of "
                            + wanted + " while user '" + DEFAULT_USER + "' still has the default password: give it"
                            + " a password of your own in etc/users.properties")
                    : defaultWorks
                            ? new Health("console", Status.UP, "on " + host + ":" + port + " only; user '"
                                    + DEFAULT_USER + "' still has the default password: change it before opening the"
                                    + " console to the network")
                            : new Health("console", Status.UP, "on " + host + ":" + port);
        } catch (IOException | RuntimeException e) {
            health = new Health("console", Status.DEGRADED, "cannot check the console's safety: " + e.getMessage());
            LOG.warn("Cannot check the console's safety: {}", e.toString());
        }
    }

    /**
     * Whether the shipped password works, by a login attempt when the users file changed since the last one, and at
     * least every {@value #RELOGIN_MINUTES} minutes (another realm than the file may have changed): a login every 10 s
     * would fill the security log over months.
     */
    private boolean defaultPasswordWorksNow() {
        long stamp = usersFileStamp();
        long now = System.nanoTime();
        if (stamp != usersStamp || now - loggedInAt > TimeUnit.MINUTES.toNanos(RELOGIN_MINUTES) || loggedInAt == 0) {
            defaultWorked = defaultPasswordWorks();
            usersStamp = stamp;
            loggedInAt = now == 0 ? 1 : now;
        }
        return defaultWorked;
    }

    private static long usersFileStamp() {
        java.io.File users = new java.io.File(System.getProperty("karaf.etc", "etc"), "users.properties");
        return users.lastModified() * 31 + users.length();
    }

    /** One login attempt in Karaf's realm with the shipped credentials. */
    private static boolean defaultPasswordWorks() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // the JAAS configuration names Karaf's proxy login module, which LoginContext loads through this loader
        thread.setContextClassLoader(ProxyLoginModule.class.getClassLoader());
        try {
            LoginContext login = new LoginContext("karaf", callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(DEFAULT_USER);
                    } else if (callback instanceof PasswordCallback password) {
                        password.setPassword(DEFAULT_USER.toCharArray());
                    }
                }
            });
            login.login();
            login.logout();
            return true;
        } catch (LoginException refused) {
            return false;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String string(Object value, String otherwise) {
        return value == null || value.toString().isBlank() ? otherwise : value.toString().trim();
    }
}
