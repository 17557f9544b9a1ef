package io.edgeai.api.monitoring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A component's counters and gauges, offered to the monitoring as a Micrometer {@link MeterBinder} service (the
 * whiteboard the monitoring bundle binds to its registry): the component makes one when it starts, adds a meter for
 * each count it keeps (also later, as it learns of them: a reason first counted, a model first served, a device first
 * seen), {@link #publish publishes} it and {@link #close closes} it when it stops. Each meter reads the component's own
 * count when it is scraped; the set holds what the meters read (Micrometer holds it only weakly).
 * <p>
 * A meter is made in every registry the set is bound to, now and later; removing meters by a tag removes them from
 * those registries. Adding the same name and tags twice keeps the first. Thread-safe; adding and removing are not
 * meant for the hot path (callers count first, and add a meter once per new name and tags).
 */
public final class MeterSet implements MeterBinder, AutoCloseable {

    /** One meter as the set makes it in each registry, with what it reads. */
    private record Entry(Object source, Tags tags, Function<MeterRegistry, Meter> maker) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<MeterRegistry, Map<String, Meter>> made = new LinkedHashMap<>();
    private ServiceRegistration<MeterBinder> registration;

    /** A counter of a count the component keeps (e.g. a {@code LongAdder}, read with {@code LongAdder::sum}). */
    public <T> MeterSet counter(String name, String description, T source, ToDoubleFunction<T> count,
            String... tags) {
        Tags tagged = Tags.of(tags);
        return add(name, tagged, source, registry -> FunctionCounter.builder(name, source, count).tags(tagged)
                .description(description).register(registry));
    }

    /** A gauge of a value the component has now. */
    public <T> MeterSet gauge(String name, String description, T source, ToDoubleFunction<T> value, String... tags) {
        Tags tagged = Tags.of(tags);
        return add(name, tagged, source, registry -> Gauge.builder(name, source, value).tags(tagged)
                .description(description).register(registry));
    }

    /** True when a meter of that name and tags is in the set. */
    public synchronized boolean has(String name, String... tags) {
        return entries.containsKey(key(name, Tags.of(tags)));
    }

    private synchronized MeterSet add(String name, Tags tags, Object source, Function<MeterRegistry, Meter> maker) {
        String key = key(name, tags);
        if (entries.putIfAbsent(key, new Entry(source, tags, maker)) == null) {
            forget(MeterRegistry::isClosed);
            made.forEach((registry, meters) -> meters.put(key, maker.apply(registry)));
        }
        return this;
    }

    /** Removes the meters tagged {@code tag = value} (a model no longer served, say) from the set and its registries. */
    public synchronized void remove(String tag, String value) {
        List<String> gone = new ArrayList<>();
        entries.forEach((key, entry) -> {
            if (entry.tags().stream().anyMatch(t -> t.getKey().equals(tag) && t.getValue().equals(value))) {
                gone.add(key);
            }
        });
        for (String key : gone) {
            entries.remove(key);
            made.forEach((registry, meters) -> {
                Meter meter = meters.remove(key);
                if (meter != null) {
                    registry.remove(meter);
                }
            });
        }
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        forget(MeterRegistry::isClosed);
        Map<String, Meter> meters = made.computeIfAbsent(registry, r -> new LinkedHashMap<>());
        entries.forEach((key, entry) -> meters.computeIfAbsent(key, k -> entry.maker().apply(registry)));
    }

    private void forget(java.util.function.Predicate<MeterRegistry> which) {
        made.keySet().removeIf(which);
    }

    private static String key(String name, Tags tags) {
        return name + tags;
    }

    /** Offers the set to the monitoring (a {@link MeterBinder} service) until {@link #close()}. */
    public synchronized MeterSet publish(BundleContext context) {
        if (registration == null) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("edgeai.meters", context.getBundle().getSymbolicName());
            registration = context.registerService(MeterBinder.class, this, properties);
        }
        return this;
    }

    /**
     * Withdraws the service: the monitoring removes the set's meters from its registry. The set forgets the registries
     * it was bound to; it may be published again.
     */
    @Override
    public synchronized void close() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped first
            }
            registration = null;
        }
        made.clear();
    }
}
