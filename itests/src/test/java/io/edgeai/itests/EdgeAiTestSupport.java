package io.edgeai.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots our own assembly (the tar.gz the build just made) once per test class, on free ports, and gives tests a
 * console, service lookups that wait, and the gateway's folders. Tests never sleep: they wait for a service or, with
 * Awaitility, for a condition.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class EdgeAiTestSupport {

    /** Longest wait for anything the gateway does on its own (engine load, route file pick-up). */
    protected static final long TIMEOUT_SECONDS = 60;

    private static final String KARAF = System.getProperty("edgeai.karaf.version", "4.4.10");

    /** The MQTT account every test container has: an application account (role edgeai-app) that may act for any device. */
    protected static final String MQTT_USER = "it-device";
    protected static final String MQTT_PASSWORD = "it-device-secret";

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    /** Set once the driver JVM stops leftover containers at its exit too. */
    private static final java.util.concurrent.atomic.AtomicBoolean EXIT_HOOK = new java.util.concurrent.atomic
            .AtomicBoolean();

    /**
     * Stops Karaf JVMs this test JVM started and that are still running: between two test classes, the container of
     * one whose container never came up (Pax Exam gives up on it and leaves it running); at the end, whatever is left.
     */
    static void stopLeftoverContainers() {
        ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains("org.apache.karaf.main.Main"))
                        .orElse(false))
                .forEach(p -> {
                    System.err.println("Stopping a Karaf container that was left running: pid " + p.pid());
                    p.destroyForcibly();
                });
    }

    @Configuration
    public Option[] config() {
        stopLeftoverContainers();
        if (EXIT_HOOK.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(EdgeAiTestSupport::stopLeftoverContainers,
                    "edgeai-exam-leftovers"));
        }
        // the tar.gz this build just made (under `mvn verify` it is not in the local repository yet)
        String assembly = new File(System.getProperty("edgeai.assembly")).toURI().toString();
        File exam = new File(System.getProperty("edgeai.exam.dir", "target/exam"));
        // the gateway's temporary files (Karaf's feature downloads leave some) in the build, not in the machine's /tmp
        File tmp = new File(exam, "tmp");
        tmp.mkdirs();
        List<Option> options = new ArrayList<>(Arrays.asList(
                karafDistributionConfiguration().frameworkUrl(assembly).name("Edge AI Gateway")
                        .unpackDirectory(exam).useDeployFolder(false),
                vmOptions("-Djava.io.tmpdir=" + tmp.getAbsolutePath()),
                remoteShell() ? configureConsole().ignoreLocalConsole().startRemoteShell()
                        : configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                // what bin/karaf does on Java 9+ and Pax Exam's launcher does not: Karaf's spec locator in java.base
                // (without it, bundles carrying javax.* spec providers log NoClassDefFoundError at resolution)
                vmOptions("--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + KARAF + ".jar",
                        "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + KARAF + ".jar",
                        "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                        "--add-reads=java.xml=java.logging"),
                // beside a running gateway or another test run: no fixed port
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
                editConfigurationFilePut("etc/io.edgeai.connector.coap.cfg", "port", freeUdpPort()),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", freePort()),
                editConfigurationFilePut("etc/io.edgeai.connector.coap.cfg", "dtlsPort", freeUdpPort()),
                editConfigurationFilePut("etc/io.edgeai.connector.mqtt.cfg", "port", freePort()),
                editConfigurationFilePut("etc/io.edgeai.connector.mqtt.cfg", "tlsPort", freePort()),
                // an MQTT application account, as an operator adds one: tests use many device ids
                editConfigurationFilePut("etc/users.properties", MQTT_USER, MQTT_PASSWORD + ",edgeai-app"),
                // the assembly resolves nothing remotely; test-only bundles come from the local Maven repository
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository")),
                // the repository's docs/, for tests that run what a page shows
                org.ops4j.pax.exam.CoreOptions.systemProperty("edgeai.docs").value(new File("../docs")
                        .getAbsolutePath()),
                mavenBundle("org.hamcrest", "hamcrest", "2.1"),
                mavenBundle("org.awaitility", "awaitility", "4.2.2")));
        if (Boolean.getBoolean("edgeai.exam.keep")) {
            options.add(keepRuntimeFolder()); // -Dedgeai.exam.keep=true: read the containers' logs afterwards
        }
        options.addAll(Arrays.asList(additionalOptions()));
        return options(options.toArray(new Option[0]));
    }

    /**
     * Waits until Karaf has installed the boot features. Pax Exam runs a test as soon as its probe is up, which can be
     * while the features service still installs and starts the gateway's bundles; a test that updates or refreshes
     * bundles then races it (Felix failed a bundle:update with "Unable to acquire global lock for resolve" while the
     * features service resolved the bundle it was updating).
     */
    @Before
    public void waitForBootFeatures() {
        waitForService(BootFinished.class, null);
        wireTestLibraries();
    }

    /**
     * One class of each package the tests use from the container (test libraries, the gateway's API, Camel, DJL, ...).
     */
    private static final String[] TEST_PACKAGES = {"org.awaitility.Awaitility",
        "org.awaitility.core.ConditionTimeoutException", "com.fasterxml.jackson.databind.ObjectMapper",
        "io.edgeai.api.connector.Connector", "io.edgeai.api.monitoring.Health", "io.edgeai.api.routes.RouteFiles",
        "io.edgeai.api.model.ModelRegistry", "io.edgeai.api.training.TrainingService",
        "io.edgeai.api.engine.EngineRuntime", "io.edgeai.api.reading.Reading", "io.edgeai.api.preprocess.Pipelines",
        "io.edgeai.api.inference.InferenceService", "io.edgeai.api.anomaly.AnomalyWatch",
        "org.apache.camel.CamelContext", "org.apache.karaf.features.FeaturesService",
        "org.apache.karaf.shell.api.console.Session", "org.apache.karaf.jaas.boot.principal.UserPrincipal",
        "org.osgi.service.event.Event", "org.osgi.service.cm.ConfigurationAdmin", "org.osgi.util.tracker.ServiceTracker",
        "javax.servlet.Servlet", "javax.servlet.http.HttpServlet", "ai.djl.Model", "ai.djl.engine.Engine",
        "ai.djl.ndarray.NDArray", "ai.djl.ndarray.types.Shape", "ai.djl.nn.Block", "ai.djl.nn.core.Linear",
        "ai.djl.training.Trainer", "ai.djl.training.loss.Loss", "ai.djl.training.optimizer.Optimizer",
        "ai.djl.training.tracker.Tracker"};

    /**
     * Loads the packages the tests use into the probe until they load, each that a resolved bundle exports. The
     * probe imports them dynamically, on first use, and Felix gives up a dynamic import it cannot resolve at that moment
     * without saying why (CI saw {@code org.awaitility.Awaitility not found by PAXEXAM-PROBE} in a class's first test,
     * right after boot, and later {@code io.edgeai.api.connector.Connector}, while the class after it found them); the
     * JVM then keeps that failure for every later use in the same test class. Once a package has loaded, the probe is
     * wired to it for good.
     */
    private void wireTestLibraries() {
        ClassLoader probe = EdgeAiTestSupport.class.getClassLoader();
        java.util.Set<String> exported = new java.util.HashSet<>();
        for (Bundle bundle : bundleContext.getBundles()) {
            org.osgi.framework.wiring.BundleRevision revision = bundle.adapt(
                    org.osgi.framework.wiring.BundleRevision.class);
            if (revision != null && (bundle.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                revision.getDeclaredCapabilities(org.osgi.framework.wiring.BundleRevision.PACKAGE_NAMESPACE)
                        .forEach(c -> exported.add(String.valueOf(c.getAttributes().get(
                                org.osgi.framework.wiring.BundleRevision.PACKAGE_NAMESPACE))));
            }
        }
        for (String name : TEST_PACKAGES) {
            String pkg = name.substring(0, name.lastIndexOf('.'));
            if (!exported.contains(pkg)) {
                continue; // not in this container (a feature test without it): no test here uses it
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (true) {
                try {
                    Class.forName(name, false, probe);
                    break;
                } catch (ClassNotFoundException e) {
                    if (System.nanoTime() > deadline) {
                        String states = Arrays.stream(bundleContext.getBundles())
                                .filter(b -> b.getState() != Bundle.ACTIVE)
                                .map(b -> b.getSymbolicName() + "[" + b.getState() + "]")
                                .collect(Collectors.joining(", "));
                        throw new AssertionError("the probe cannot load " + name + " within " + TIMEOUT_SECONDS
                                + " s; bundles not active: " + states, e);
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
        }
    }

    /** True for a test class that needs the console's SSH server (off in the other containers). */
    protected boolean remoteShell() {
        return false;
    }

    /** What a test class adds to the container. */
    protected Option[] additionalOptions() {
        return new Option[0];
    }

    /**
     * Runs a console command as an operator would and returns what it printed. Commands register asynchronously
     * after their bundle starts, so this first waits until the command exists.
     */
    protected String executeCommand(String command) {
        String[] scopeAndName = command.split("\\s+")[0].split(":");
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() ->
                sessionFactory.getRegistry().getCommand(scopeAndName[0], scopeAndName[1]) != null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // as the assembly's admin user: Karaf's command ACLs refuse admin commands (bundle:update) to others. The
        // session is created inside doAs so that the threads it runs commands on carry the same subject.
        Subject admin = new Subject();
        admin.getPrincipals().add(new UserPrincipal("karaf"));
        for (String role : new String[] {"admin", "manager", "viewer", "systembundles"}) {
            admin.getPrincipals().add(new RolePrincipal(role)); // the roles of etc/users.properties' admingroup
        }
        try {
            Subject.doAs(admin, (PrivilegedExceptionAction<Void>) () -> {
                Session session = sessionFactory.create(System.in, out, out);
                try {
                    Object result = session.execute(command);
                    if (result != null) {
                        out.println(result);
                    }
                } finally {
                    session.close();
                }
                return null;
            });
        } catch (PrivilegedActionException e) {
            throw new AssertionError("command '" + command + "' failed: " + e.getCause(), e.getCause());
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Waits for a service matching the class and an optional LDAP filter, and returns it. */
    protected <T> T waitForService(Class<T> type, String filter) {
        String full = filter == null ? "(objectClass=" + type.getName() + ")"
                : "(&(objectClass=" + type.getName() + ")" + filter + ")";
        try {
            Filter osgiFilter = FrameworkUtil.createFilter(full);
            ServiceTracker<T, T> tracker = new ServiceTracker<>(bundleContext, osgiFilter, null);
            tracker.open(true);
            try {
                T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                assertNotNull("no service " + full + " within " + TIMEOUT_SECONDS + " s", service);
                return service;
            } finally {
                tracker.close();
            }
        } catch (InvalidSyntaxException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    protected Bundle bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName().equals(symbolicName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    /**
     * Fails when any bundle (fragments excepted) is not ACTIVE, naming them; bundles still being restarted by a refresh
     * (an update of a bundle others import from) are waited for.
     */
    protected void assertAllBundlesActive() {
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> inactiveBundles().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // named below
        }
        assertEquals("bundles not active", "", inactiveBundles());
    }

    private String inactiveBundles() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getHeaders().get("Fragment-Host") == null && b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + "[" + b.getState() + "]")
                .collect(Collectors.joining(", "));
    }

    /** How much a counter grew between two snapshots of a connector's counters. */
    protected static long delta(java.util.Map<String, Long> before, java.util.Map<String, Long> after, String counter) {
        return after.getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
    }

    /**
     * The default route's answer to a device's first reading while the default pipeline passes values on unchanged
     * (its first revision): the reading, the anomaly watch starting to learn the device's stream, the same values as
     * features, and the pipeline that made them.
     *
     * @param values the values as JSON members, e.g. {@code "t":4.0}
     */
    protected static String answer(String device, long ts, String values) {
        return answer(device, ts, values, 1);
    }

    /** {@link #answer(String, long, String)} for the device's {@code nth} reading. */
    protected static String answer(String device, long ts, String values, int nth) {
        return "{\"deviceId\":\"" + device + "\",\"ts\":" + ts + ",\"values\":{" + values + "},\"model\":\"anomaly-"
                + device + "\",\"watch\":{\"state\":\"learning\",\"detail\":\"learning " + nth + "/27\"},"
                + "\"features\":{" + values + "},\"pipeline\":{\"name\":\"default\",\"revision\":1,\"outputs\":1}}";
    }

    /** The gateway's deploy folder. */
    protected static File deployFolder() {
        return new File(System.getProperty("karaf.base"), "deploy");
    }

    /** The port of a scheme's URL in a connector's endpoint text, e.g. 5684 for "coaps" in "coap://h:5683 coaps://h:5684". */
    static String port(String endpoints, String scheme) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|\\s)" + scheme + "://[^\\s]*:(\\d+)")
                .matcher(endpoints);
        if (!m.find()) {
            throw new AssertionError("no " + scheme + " endpoint in " + endpoints);
        }
        return m.group(1);
    }

    /**
     * Ports are drawn below Linux's ephemeral range (32768-60999), where outgoing connections (RMI, SSH, curl, the
     * broker's clients) take theirs: a port found free there could be taken again before the gateway binds it.
     */
    private static final int FIRST_PORT = 20000;
    private static final int LAST_PORT = 32700;
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A UDP port nothing listens on now, not handed out before by this JVM. */
    static String freeUdpPort() {
        return Integer.toString(freePort(port -> {
            try (java.net.DatagramSocket socket = new java.net.DatagramSocket(port)) {
                return true;
            }
        }));
    }

    /** A TCP port nothing listens on now, not handed out before by this JVM. */
    static String freePort() {
        return Integer.toString(freePort(port -> {
            try (ServerSocket socket = new ServerSocket(port)) {
                return true;
            }
        }));
    }

    private interface Bindable {
        boolean bind(int port) throws IOException;
    }

    private static int freePort(Bindable bindable) {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = random.nextInt(FIRST_PORT, LAST_PORT);
            try {
                if (!HANDED_OUT.contains(port) && bindable.bind(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between " + FIRST_PORT + " and " + LAST_PORT);
    }

}
