package io.edgeai.connector.support;

import io.edgeai.api.connector.Connector;
import io.edgeai.api.connector.ConnectorStats;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.MeterSet;
import io.edgeai.api.monitoring.Recorder;
import io.edgeai.api.monitoring.Status;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A connector as operators see it, named once: the {@link Connector} service ({@code connector.name} = its name,
 * health {@code connector-<name>}), its {@link ConnectorCounters}, where it listens and how it is. A component makes
 * one when it starts, {@link #publish publishes} it once it knows where it listens and closes it when it stops; it reports its state with {@link #up},
 * {@link #degraded} and {@link #down}, or with a {@link #healthFrom health check} of its own.
 */
public final class ConnectorSupport implements Connector, AutoCloseable {

    /** What a connector counts of its own beside the common counts, and what it holds now. */
    @FunctionalInterface
    public interface More {
        ConnectorStats stats(ConnectorCounters counters);
    }

    private final String name;
    private final ConnectorCounters counters;
    private final MeterSet meters = new MeterSet();
    private volatile Supplier<String> endpoint;
    private volatile java.util.function.Function<ConnectorSupport, Health> check;
    private volatile Health health;
    private volatile More more = ConnectorCounters::stats;
    private ServiceRegistration<Connector> registration;

    /**
     * A connector of that name (e.g. {@code coap}), not published yet: count with it while starting, then
     * {@link #publish} it once it knows where it listens.
     *
     * @param recorder the monitoring's recorder while there is one (the connector's latency histogram)
     */
    public ConnectorSupport(String name, Supplier<Recorder> recorder) {
        this.name = name;
        this.counters = new ConnectorCounters(name, recorder, meters);
        this.endpoint = () -> "";
        this.health = new Health(healthName(), Status.DOWN, "starting");
        meters.gauge("edgeai.connector.up", "1 when the connector is up", this,
                c -> c.health().status() == Status.UP ? 1.0 : 0.0, "connector", name);
    }

    /**
     * Publishes it as a {@link Connector} service ({@code connector.name} = its name), and its meters to the
     * monitoring, until {@link #close()}.
     */
    public synchronized ConnectorSupport publish(BundleContext context) {
        if (registration == null) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(NAME_PROPERTY, name);
            registration = context.registerService(Connector.class, this, properties);
            meters.publish(context);
        }
        return this;
    }

    /**
     * Its meters ({@code edgeai.connector.*}, tagged {@code connector} = its name): the common counts are there; a
     * connector adds what it counts of its own (e.g. {@code edgeai.connector.forwarded}) and what it holds now.
     */
    public MeterSet meters() {
        return meters;
    }

    /** A counter of one of its own counts, {@code edgeai.connector.<outcome>} tagged with its name (and reason). */
    public <T> ConnectorSupport count(String outcome, String reason, T source,
            java.util.function.ToDoubleFunction<T> count) {
        String description = "What a connector counts of its own: " + outcome + (reason == null ? "" : ", by reason");
        if (reason == null) {
            meters.counter("edgeai.connector." + outcome, description, source, count, "connector", name);
        } else {
            meters.counter("edgeai.connector." + outcome, description, source, count, "connector", name, "reason",
                    reason);
        }
        return this;
    }

    /** A gauge of what it holds now, {@code edgeai.connector.<level>} tagged with its name. */
    public <T> ConnectorSupport level(String level, T source, java.util.function.ToDoubleFunction<T> value) {
        meters.gauge("edgeai.connector." + level, "What a connector holds now: " + level, source, value, "connector",
                name);
        return this;
    }

    public ConnectorCounters counters() {
        return counters;
    }

    /** Where it listens, as it may change (a port bound at start). */
    public ConnectorSupport endpoint(Supplier<String> where) {
        this.endpoint = where;
        return this;
    }

    /** Its own counts beside the common ones (the default: none). */
    public ConnectorSupport more(More counts) {
        this.more = counts;
        return this;
    }

    /**
     * Its health computed when asked, instead of the state last reported; the check makes it with
     * {@link #health(Status, String)}.
     */
    public ConnectorSupport healthFrom(java.util.function.Function<ConnectorSupport, Health> health) {
        this.check = health;
        return this;
    }

    public void up(String reason) {
        health = health(Status.UP, reason);
    }

    public void degraded(String reason) {
        health = health(Status.DEGRADED, reason);
    }

    public void down(String reason) {
        health = health(Status.DOWN, reason);
    }

    /** A health of this connector, named as all of its health is. */
    public Health health(Status status, String reason) {
        return new Health(healthName(), status, reason);
    }

    private String healthName() {
        return "connector-" + name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String endpoint() {
        return endpoint.get();
    }

    @Override
    public ConnectorStats stats() {
        return more.stats(counters);
    }

    @Override
    public Health health() {
        java.util.function.Function<ConnectorSupport, Health> own = check;
        return own != null ? own.apply(this) : health;
    }

    /** Withdraws the service and its meters. */
    @Override
    public synchronized void close() {
        meters.close();
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped first
            }
            registration = null;
        }
    }
}
