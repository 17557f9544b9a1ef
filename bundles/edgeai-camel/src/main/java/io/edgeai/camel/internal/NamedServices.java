package io.edgeai.camel.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/** The services of one type by the value of a naming property, as they come and go. */
final class NamedServices<S> {

    private final Map<String, S> byName = new ConcurrentHashMap<>();
    private final ServiceTracker<S, S> tracker;

    NamedServices(BundleContext context, Class<S> type, String property) {
        this.tracker = new ServiceTracker<>(context, type, null) {
            @Override
            public S addingService(ServiceReference<S> reference) {
                S service = super.addingService(reference);
                if (service != null && reference.getProperty(property) instanceof String name) {
                    byName.put(name, service);
                }
                return service;
            }

            @Override
            public void removedService(ServiceReference<S> reference, S service) {
                if (reference.getProperty(property) instanceof String name) {
                    byName.remove(name, service);
                }
                super.removedService(reference, service);
            }
        };
    }

    void open() {
        tracker.open();
    }

    void close() {
        tracker.close();
        byName.clear();
    }

    /** The service of that name, or null. */
    S get(String name) {
        return byName.get(name);
    }
}
